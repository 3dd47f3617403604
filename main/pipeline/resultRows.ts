// The pipeline's results as catalog rows (evaluation_results: run = the pipeline run, task, view, variant,
// metric, value), one row per number of the report's tables. Δ columns are derived and not stored. Tasks:
// segmentation rows are `segmentation:<head>` (one table per head: c2f-tcn, asformer, ltcontext), the others
// retrieval / anticipation / ablation. Views: retrieval rows name the pair "e1-v1" (or "mean"); segmentation rows
// the held-out view (novel view, meta protocol 'novel-view') or "single-view" / "two-view"; anticipation rows the
// input ("ego", "exo", "ego+exo"); ablation rows "single-view" / "two-view". Segmentation variants are the inputs
// base / evgap-frozen / evgap (novel view: base / evgap). Every row names the seed that produced it: a pipeline
// repeated over seeds stores each seed's rows (the report shows their mean ± std); retrieval rows carry the
// pre-training seed of the encoders they measure.
import type { SegmentationHeadName } from '../../contract/api';
import type { SeedAblationRow, SeedAnticipation, SeedRetrieval, SeedRetrievalNumbers, SeedScores, SeedSegmentation } from './seedResults';

export type ResultRow = {
  seed: number;
  task: 'retrieval' | `segmentation:${SegmentationHeadName}` | 'anticipation' | 'ablation';
  view: string | null;
  variant: string | null;
  metric: string;
  value: number;
  meta?: unknown;
};

const value = (v: number | null) => v ?? Number.NaN;

function retrievalMetrics(direction: string, numbers: SeedRetrievalNumbers, prefix = ''): { metric: string; value: number }[] {
  return [
    ...Object.entries(numbers.recallAt).map(([k, v]) => ({ metric: `${direction}.${prefix}R@${k}`, value: value(v) })),
    { metric: `${direction}.${prefix}medianRank`, value: value(numbers.medianRank) },
  ];
}

export function retrievalRows(section: SeedRetrieval, seed: number): ResultRow[] {
  const rows: ResultRow[] = [];
  const add = (view: string, variant: string | null, metrics: { metric: string; value: number }[]) =>
    rows.push(...metrics.map((m) => ({ seed, task: 'retrieval' as const, view, variant, ...m })));
  for (const row of section.mean) {
    add('mean', row.variant, [...retrievalMetrics('ego2exo', row.egoToExo), ...retrievalMetrics('exo2ego', row.exoToEgo)]);
  }
  add('mean', 'chance', [...retrievalMetrics('ego2exo', section.chance.egoToExo), ...retrievalMetrics('exo2ego', section.chance.exoToEgo)]);
  for (const pair of section.pairs) {
    add(`${pair.egoView}-${pair.exoView}`, pair.variant, [...retrievalMetrics('ego2exo', pair.egoToExo), ...retrievalMetrics('exo2ego', pair.exoToEgo)]);
  }
  return rows;
}

function scoreRows(seed: number, task: ResultRow['task'], view: string, variant: string, scores: SeedScores, meta?: unknown): ResultRow[] {
  return Object.entries(scores).map(([metric, v]) => ({ seed, task, view, variant, metric, value: value(v), ...(meta !== undefined && { meta }) }));
}

/** Segmentation rows: the novel-view rows (of `novelViewHead`) and every head block's single- and two-view rows. */
export function segmentationRows(comparison: SeedSegmentation, novelViewHead: SegmentationHeadName, seed: number): ResultRow[] {
  const task = (head: SegmentationHeadName) => `segmentation:${head}` as const;
  return [
    ...comparison.novelView.flatMap((row) => [
      ...scoreRows(seed, task(novelViewHead), row.view, 'base', row.base, { protocol: 'novel-view' }),
      ...scoreRows(seed, task(novelViewHead), row.view, 'evgap', row.evgap, { protocol: 'novel-view' }),
    ]),
    ...comparison.heads.flatMap((block) => [
      ...block.singleView.flatMap((row) => scoreRows(seed, task(block.head), 'single-view', row.input, row.scores, { protocol: 'single-view' })),
      ...block.twoView.flatMap((row) => scoreRows(seed, task(block.head), 'two-view', row.input, row.scores, { protocol: 'two-view' })),
    ]),
  ];
}

export function anticipationRows(anticipation: SeedAnticipation, seed: number): ResultRow[] {
  return anticipation.rows.flatMap((row) =>
    (['base', 'evgap'] as const).flatMap((variant) =>
      Object.entries(row[variant]).map(([metric, v]) => ({ seed, task: 'anticipation' as const, view: row.input, variant, metric, value: value(v) })),
    ),
  );
}

export function ablationRows(rows: readonly SeedAblationRow[], seed: number): ResultRow[] {
  return rows.flatMap((row) => [
    ...scoreRows(seed, 'ablation', 'single-view', row.variant, row.singleView),
    ...scoreRows(seed, 'ablation', 'two-view', row.variant, row.twoView),
  ]);
}
