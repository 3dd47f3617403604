// The pipeline's results as catalog rows (evaluation_results: run = the pipeline run, task, view, variant,
// metric, value), one row per number of the report's tables. Δ columns are derived and not stored. Views:
// retrieval rows name the pair "e1-v1" (or "mean"); segmentation rows the held-out view (novel view, meta
// protocol 'novel-view') or "single-view" / "two-view"; anticipation rows the input ("ego", "exo", "ego+exo");
// ablation rows "single-view" / "two-view".
import type { AblationRow, AnticipationRow, NovelViewRow, RetrievalNumbers, RetrievalSection, Scores, SegmentationRow } from '../report/reportData';

export type ResultRow = {
  task: 'retrieval' | 'segmentation' | 'anticipation' | 'ablation';
  view: string | null;
  variant: string | null;
  metric: string;
  value: number;
  meta?: unknown;
};

const value = (v: number | null) => v ?? Number.NaN;

function retrievalMetrics(direction: string, numbers: RetrievalNumbers, prefix = ''): { metric: string; value: number }[] {
  return [
    ...Object.entries(numbers.recallAt).map(([k, v]) => ({ metric: `${direction}.${prefix}R@${k}`, value: value(v) })),
    { metric: `${direction}.${prefix}medianRank`, value: value(numbers.medianRank) },
  ];
}

export function retrievalRows(section: RetrievalSection): ResultRow[] {
  const rows: ResultRow[] = [];
  const add = (view: string, variant: string | null, metrics: { metric: string; value: number }[]) =>
    rows.push(...metrics.map((m) => ({ task: 'retrieval' as const, view, variant, ...m })));
  for (const row of section.mean) {
    add('mean', row.variant, [...retrievalMetrics('ego2exo', row.egoToExo), ...retrievalMetrics('exo2ego', row.exoToEgo)]);
  }
  add('mean', 'chance', [...retrievalMetrics('ego2exo', section.chance.egoToExo), ...retrievalMetrics('exo2ego', section.chance.exoToEgo)]);
  for (const pair of section.pairs) {
    add(`${pair.egoView}-${pair.exoView}`, pair.variant, [...retrievalMetrics('ego2exo', pair.egoToExo), ...retrievalMetrics('exo2ego', pair.exoToEgo)]);
  }
  return rows;
}

function scoreRows(task: ResultRow['task'], view: string, variant: string, scores: Scores, meta?: unknown): ResultRow[] {
  return Object.entries(scores).map(([metric, v]) => ({ task, view, variant, metric, value: value(v), ...(meta !== undefined && { meta }) }));
}

export function segmentationRows(comparison: { singleView: SegmentationRow[]; twoView: SegmentationRow[]; novelView: NovelViewRow[] }): ResultRow[] {
  return [
    ...comparison.novelView.flatMap((row) => [
      ...scoreRows('segmentation', row.view, 'base', row.base, { protocol: 'novel-view' }),
      ...scoreRows('segmentation', row.view, 'evgap', row.evgap, { protocol: 'novel-view' }),
    ]),
    ...comparison.singleView.flatMap((row) => scoreRows('segmentation', 'single-view', row.variant, row.scores, { protocol: 'single-view' })),
    ...comparison.twoView.flatMap((row) => scoreRows('segmentation', 'two-view', row.variant, row.scores, { protocol: 'two-view' })),
  ];
}

export function anticipationRows(rows: readonly AnticipationRow[]): ResultRow[] {
  return rows.flatMap((row) =>
    (['base', 'evgap'] as const).flatMap((variant) =>
      Object.entries(row[variant]).map(([metric, v]) => ({ task: 'anticipation' as const, view: row.input, variant, metric, value: value(v) })),
    ),
  );
}

export function ablationRows(rows: readonly AblationRow[]): ResultRow[] {
  return rows.flatMap((row) => [
    ...scoreRows('ablation', 'single-view', row.variant, row.singleView),
    ...scoreRows('ablation', 'two-view', row.variant, row.twoView),
  ]);
}
