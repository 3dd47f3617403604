// The novel-view chart's data: for each held-out view, Base and +EVGAP on one metric (Avg when there is one, as
// the publication plots it) with the Δ between them, from the novel-view results table.
import type { Delta } from './delta';
import type { ResultTable } from './resultTables';

export interface NovelViewBars {
  metric: string;
  views: string[];
  base: (number | null)[];
  evgap: (number | null)[];
  /** The variant shown as +EVGAP (the table's last non-base variant: both steps when the ablation is there). */
  evgapLabel: string;
  deltas: (Delta | null)[];
  /** Decimals of the table the bars come from. */
  decimals: number;
}

/** Null when the table has no per-view rows with a Base and another variant. */
export function novelViewBars(table: ResultTable): NovelViewBars | null {
  const metricIndex = Math.max(0, table.columns.findIndex((c) => c.label === 'Avg'));
  const column = table.columns[metricIndex];
  if (column === undefined) return null;
  const views: string[] = [];
  const base: (number | null)[] = [];
  const evgap: (number | null)[] = [];
  const deltas: (Delta | null)[] = [];
  let evgapLabel: string | null = null;
  for (const group of table.groups) {
    if (group.summary) continue;
    const baseRow = group.rows.find((row) => row.role === 'base');
    const variants = group.rows.filter((row) => row.role === 'variant');
    const evgapRow = variants[variants.length - 1];
    if (baseRow === undefined || evgapRow === undefined) continue;
    views.push(group.view ?? '—');
    base.push(baseRow.cells[metricIndex]?.value ?? null);
    evgap.push(evgapRow.cells[metricIndex]?.value ?? null);
    deltas.push(evgapRow.cells[metricIndex]?.delta ?? null);
    evgapLabel ??= evgapRow.label;
  }
  if (views.length === 0 || evgapLabel === null) return null;
  return { metric: column.label, views, base, evgap, evgapLabel, deltas, decimals: table.decimals };
}
