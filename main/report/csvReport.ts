// The report's tables as CSV files (one per table, a header row, numbers with up to 4 decimals, empty cells
// where a metric could not be computed), for spreadsheets and scripts.
import { csvField } from './escape';
import { segmentationMetricNames, type ReportData, type RetrievalNumbers, type Scores } from './reportData';

type Table = (string | number | null)[][];

function csv(rows: Table): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const scoreValues = (scores: Scores) => segmentationMetricNames.map((name) => scores[name]);

export function reportCsvFiles(data: ReportData): Record<string, string> {
  const files: Record<string, string> = {};
  if (data.retrieval) {
    const { ks } = data.retrieval;
    const cols = (direction: string) => [...ks.map((k) => `${direction}_R@${k}`), `${direction}_medianRank`];
    const values = (n: RetrievalNumbers) => [...ks.map((k) => n.recallAt[String(k)] ?? null), n.medianRank];
    files['retrieval.csv'] = csv([
      ['pair', 'variant', ...cols('ego2exo'), ...cols('exo2ego')],
      ...data.retrieval.mean.map((row) => ['mean', row.variant, ...values(row.egoToExo), ...values(row.exoToEgo)]),
      ['mean', 'chance', ...values(data.retrieval.chance.egoToExo), ...values(data.retrieval.chance.exoToEgo)],
      ...data.retrieval.pairs.map((p) => [`${p.egoView}-${p.exoView}`, p.variant, ...values(p.egoToExo), ...values(p.exoToEgo)]),
    ]);
  }
  if (data.segmentation) {
    files['segmentation.csv'] = csv([
      ['input', 'variant', ...segmentationMetricNames],
      ...data.segmentation.singleView.map((row) => ['single-view', row.variant, ...scoreValues(row.scores)]),
      ...data.segmentation.twoView.map((row) => ['two-view', row.variant, ...scoreValues(row.scores)]),
    ]);
  }
  if (data.novelView) {
    files['novel-view.csv'] = csv([
      ['view', 'role', 'variant', ...segmentationMetricNames],
      ...data.novelView.rows.flatMap((row) => [
        [row.view, row.role, 'base', ...scoreValues(row.base)],
        [row.view, row.role, 'evgap', ...scoreValues(row.evgap)],
        [row.view, row.role, 'delta', ...scoreValues(row.delta)],
      ]),
    ]);
  }
  if (data.anticipation) {
    const keys = ['verb', 'object', 'action', 'avg'] as const;
    files['anticipation.csv'] = csv([
      ['input', 'variant', ...keys],
      ...data.anticipation.rows.flatMap((row) =>
        (['base', 'evgap', 'delta'] as const).map((variant) => [row.input, variant, ...keys.map((k) => row[variant][k])]),
      ),
    ]);
  }
  if (data.ablation) {
    files['ablation.csv'] = csv([
      ['variant', ...segmentationMetricNames.map((n) => `single_${n}`), ...segmentationMetricNames.map((n) => `two_${n}`)],
      ...data.ablation.rows.map((row) => [row.variant, ...scoreValues(row.singleView), ...scoreValues(row.twoView)]),
    ]);
  }
  files['losses.csv'] = csv([['run', 'curve', 'step', 'loss'], ...data.losses.flatMap((c) => c.points.map((p) => [c.runId, c.label, p.step, p.loss]))]);
  return files;
}
