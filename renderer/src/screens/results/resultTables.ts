// Evaluation rows (api.listEvaluations) pivoted into the publication's tables: one table per task, a column per
// metric in the publication's order (F1@{10,25,50}, Edit, Acc, Avg; Top-5 Verb / Object / Action; R@1/5/10 and
// median rank, per retrieval direction), rows per variant (Base first, then +EVGAP and the ablation's variants),
// grouped by view, each non-base value with its Δ against Base of the same view. Chance levels become their own
// row. Nothing is dropped: unknown tasks and metrics appear under their own names.
import type { EvaluationRow } from '../../../../contract/api';
import { decimalsFor, deltaOf, type Delta } from './delta';
import {
  isBaseVariant,
  isChanceVariant,
  isProtocolView,
  isSummaryView,
  parseMetric,
  taskKind,
  taskRank,
  taskTitles,
  variantLabel,
  variantRank,
  type TaskKind,
} from './evaluationNames';

export interface ResultColumn {
  /** Column key: direction and label, e.g. `ego→exo R@1`. */
  key: string;
  label: string;
  /** Retrieval direction heading the column, if any. */
  group: string | null;
  lowerIsBetter: boolean;
}

export interface ResultCell {
  value: number | null;
  /** Against Base in the same view; null for Base, chance, or without a Base value. */
  delta: Delta | null;
}

export interface ResultRow {
  /** As stored. */
  variant: string;
  /** As the table shows it (variantLabel). */
  label: string;
  role: 'base' | 'chance' | 'variant';
  cells: ResultCell[];
}

export interface ResultGroup {
  view: string | null;
  /** A mean over views (or no view at all), shown before the per-view groups. */
  summary: boolean;
  rows: ResultRow[];
}

export interface ResultTable {
  task: string;
  kind: TaskKind;
  title: string;
  columns: ResultColumn[];
  groups: ResultGroup[];
  /** Decimals every number of the table is shown with (delta.ts decimalsFor). */
  decimals: number;
}

const CHANCE = 'chance';

export function resultTables(rows: readonly EvaluationRow[]): ResultTable[] {
  const byTask = new Map<string, { kind: TaskKind; rows: EvaluationRow[] }>();
  for (const row of rows) {
    const [key, kind] = tableKey(row);
    const entry = byTask.get(key);
    if (entry) entry.rows.push(row);
    else byTask.set(key, { kind, rows: [row] });
  }
  return [...byTask]
    .map(([task, entry]) => tableOf(task, entry.kind, entry.rows))
    .sort((a, b) => taskRank(a.kind) - taskRank(b.kind) || a.task.localeCompare(b.task));
}

/**
 * The table a row belongs to: its task's, except that segmentation rows of a held-out view (not an input
 * protocol such as "single-view") form the novel-view table.
 */
function tableKey(row: EvaluationRow): [string, TaskKind] {
  const kind = taskKind(row.task);
  if (kind === 'segmentation' && !isProtocolView(row.view) && !isSummaryView(row.view)) return [`${row.task} (novel view)`, 'novelView'];
  return [row.task, kind];
}

function tableOf(task: string, kind: TaskKind, rows: readonly EvaluationRow[]): ResultTable {
  const columns = new Map<string, ResultColumn & { order: number }>();
  // view → variant → column key → value
  const values = new Map<string | null, Map<string, Map<string, number>>>();
  const variantOrder: string[] = [];
  for (const row of rows) {
    const metric = parseMetric(row.metric);
    const key = metric.direction ? `${metric.direction} ${metric.label}` : metric.label;
    if (!columns.has(key)) {
      columns.set(key, { key, label: metric.label, group: metric.direction, lowerIsBetter: metric.lowerIsBetter, order: metric.order });
    }
    const variant = metric.chance ? CHANCE : (row.variant ?? '—');
    if (!variantOrder.includes(variant)) variantOrder.push(variant);
    let byVariant = values.get(row.view);
    if (!byVariant) values.set(row.view, (byVariant = new Map()));
    let byColumn = byVariant.get(variant);
    if (!byColumn) byVariant.set(variant, (byColumn = new Map()));
    byColumn.set(key, row.value);
  }
  const orderedColumns = [...columns.values()]
    .sort((a, b) => directionRank(a.group) - directionRank(b.group) || a.order - b.order)
    .map(({ order: _order, ...column }) => column);
  const decimals = decimalsFor(rows.map((row) => row.value).filter((value) => typeof value === 'number' && Number.isFinite(value)));
  const rankOf = (variant: string) => variantRank(variant) * 1000 + variantOrder.indexOf(variant);
  const groups = [...values]
    .map(([view, byVariant]): ResultGroup => {
      const variants = [...byVariant.keys()].sort((a, b) => rankOf(a) - rankOf(b));
      const base = variants.find((v) => isBaseVariant(v));
      const baseValues = base === undefined ? undefined : byVariant.get(base);
      return {
        view,
        summary: isSummaryView(view),
        rows: variants.map((variant) => {
          const role = variant === base ? 'base' : isChanceVariant(variant) ? 'chance' : 'variant';
          const own = byVariant.get(variant)!;
          return {
            variant,
            label: variantLabel(variant, kind),
            role,
            cells: orderedColumns.map((column) => {
              // NaN (a metric that could not be computed) arrives as null over JSON.
              const value = finiteOrNull(own.get(column.key));
              const baseValue = finiteOrNull(baseValues?.get(column.key));
              const delta =
                role === 'variant' && value !== null && baseValue !== null ? deltaOf(value, baseValue, column.lowerIsBetter, decimals) : null;
              return { value, delta };
            }),
          };
        }),
      };
    })
    .sort((a, b) => Number(b.summary) - Number(a.summary) || compareViews(a.view, b.view));
  return { task, kind, title: taskTitles[kind] + (kind === 'other' ? `: ${task}` : ''), columns: orderedColumns, groups, decimals };
}

const finiteOrNull = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

const directionRank = (direction: string | null): number => (direction === null ? 0 : direction === 'ego→exo' ? 1 : 2);

/** Inputs as the publication orders them (Ego, Exo, Ego+Exo), then views in natural order (v2 before v10). */
function compareViews(a: string | null, b: string | null): number {
  return inputRank(a) - inputRank(b) || (a ?? '').localeCompare(b ?? '', undefined, { numeric: true });
}

function inputRank(view: string | null): number {
  const name = (view ?? '').toLowerCase().replace(/[^a-z+]/g, '');
  return name === 'ego' ? 0 : name === 'exo' ? 1 : name === 'ego+exo' || name === 'egoexo' ? 2 : 3;
}
