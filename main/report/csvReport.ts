// The report's tables as CSV files for spreadsheets and scripts (pandas, R): one file per table in long format —
// one line per table row and metric, with the mean, the sample standard deviation and n over the table's seeds,
// for rows compared with Base their paired Δ (mean, std, significant by the report's rule), and each seed's value
// (`values`, in the order of `seeds`, separated by ';'). Numbers with up to 4 decimals; empty cells where a
// metric could not be computed.
import {
  anticipationMetricNames,
  segmentationMetricNames,
  type DeltaStat,
  type ReportData,
  type RetrievalChanceNumbers,
  type RetrievalNumbers,
  type ScoreDeltas,
  type Scores,
  type SeedStat,
} from '../../contract/report';
import { csvField } from './escape';

type Line = (string | number | null)[];

function csv(rows: Line[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const statColumns = ['mean', 'std', 'n'];
const deltaColumns = ['delta', 'delta_std', 'significant'];
const seedColumns = ['seeds', 'values'];

const list = (values: readonly (number | null)[]) => values.map((v) => (v === null ? '' : String(Number(v.toFixed(4))))).join(';');
const statCells = (s: SeedStat): Line => [s.mean, s.std, s.n];
const deltaCells = (d: DeltaStat | null | undefined): Line => (d ? [d.mean, d.std, d.significant === null ? null : String(d.significant)] : [null, null, null]);
const seedCells = (seeds: readonly number[], s: SeedStat): Line => [seeds.join(';'), list(s.values)];

/** One line per metric of a scores row: ids, metric, statistics, Δ, seeds. */
function scoreLines(ids: Line, seeds: readonly number[], scores: Scores, deltas: ScoreDeltas | null): Line[] {
  return segmentationMetricNames.map((m) => [...ids, m, ...statCells(scores[m]), ...deltaCells(deltas?.[m]), ...seedCells(seeds, scores[m])]);
}

export function reportCsvFiles(data: ReportData): Record<string, string> {
  const files: Record<string, string> = {};
  if (data.retrieval) {
    const r = data.retrieval;
    const lines = (ids: Line, direction: string, numbers: RetrievalNumbers): Line[] => [
      ...r.ks.map((k): Line => {
        const s = numbers.recallAt[String(k)]!;
        return [...ids, direction, `R@${k}`, ...statCells(s), ...seedCells(r.seeds, s)];
      }),
      [...ids, direction, 'medianRank', ...statCells(numbers.medianRank), ...seedCells(r.seeds, numbers.medianRank)],
    ];
    const chance = (direction: string, numbers: RetrievalChanceNumbers): Line[] => [
      ...r.ks.map((k): Line => ['mean', 'chance', direction, `R@${k}`, numbers.recallAt[String(k)] ?? null, null, null, null, null]),
      ['mean', 'chance', direction, 'medianRank', numbers.medianRank, null, null, null, null],
    ];
    files['retrieval.csv'] = csv([
      ['pair', 'variant', 'direction', 'metric', ...statColumns, ...seedColumns],
      ...r.mean.flatMap((row) => [...lines(['mean', row.variant], 'ego2exo', row.egoToExo), ...lines(['mean', row.variant], 'exo2ego', row.exoToEgo)]),
      ...chance('ego2exo', r.chance.egoToExo),
      ...chance('exo2ego', r.chance.exoToEgo),
      ...r.pairs.flatMap((p) => {
        const ids = [`${p.egoView}-${p.exoView}`, p.variant];
        return [...lines(ids, 'ego2exo', p.egoToExo), ...lines(ids, 'exo2ego', p.exoToEgo)];
      }),
    ]);
  }
  if (data.segmentation) {
    const { seeds } = data.segmentation;
    files['segmentation.csv'] = csv([
      ['head', 'protocol', 'input', 'metric', ...statColumns, ...deltaColumns, ...seedColumns],
      ...data.segmentation.heads.flatMap((block) => [
        ...block.singleView.flatMap((row) => scoreLines([block.head, 'single-view', row.input], seeds, row.scores, row.delta)),
        ...block.twoView.flatMap((row) => scoreLines([block.head, 'two-view', row.input], seeds, row.scores, row.delta)),
      ]),
    ]);
  }
  if (data.novelView) {
    const { seeds } = data.novelView;
    files['novel-view.csv'] = csv([
      ['view', 'role', 'variant', 'metric', ...statColumns, ...deltaColumns, ...seedColumns],
      ...data.novelView.rows.flatMap((row) => [
        ...scoreLines([row.view, row.role, 'base'], seeds, row.base, null),
        ...scoreLines([row.view, row.role, 'evgap'], seeds, row.evgap, row.delta),
      ]),
    ]);
  }
  if (data.anticipation) {
    const { seeds } = data.anticipation;
    files['anticipation.csv'] = csv([
      ['input', 'variant', 'metric', ...statColumns, ...deltaColumns, ...seedColumns],
      ...data.anticipation.rows.flatMap((row) =>
        (['base', 'evgap'] as const).flatMap((variant) =>
          anticipationMetricNames.map((m): Line => [
            row.input,
            variant,
            m,
            ...statCells(row[variant][m]),
            ...deltaCells(variant === 'evgap' ? row.delta[m] : null),
            ...seedCells(seeds, row[variant][m]),
          ]),
        ),
      ),
    ]);
  }
  if (data.ablation) {
    const { seeds } = data.ablation;
    files['ablation.csv'] = csv([
      ['protocol', 'variant', 'metric', ...statColumns, ...deltaColumns, ...seedColumns],
      ...data.ablation.rows.flatMap((row) => [
        ...scoreLines(['single-view', row.variant], seeds, row.singleView, row.singleViewDelta),
        ...scoreLines(['two-view', row.variant], seeds, row.twoView, row.twoViewDelta),
      ]),
    ]);
  }
  files['losses.csv'] = csv([['run', 'curve', 'step', 'loss'], ...data.losses.flatMap((c) => c.points.map((p) => [c.runId, c.label, p.step, p.loss]))]);
  return files;
}
