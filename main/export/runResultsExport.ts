// Exports runs with their results: as JSON (each run with its config, metric series and evaluation results) and
// as CSV (one row per metric value or evaluation result, long format, for spreadsheets and pandas). `seed` is the
// run's seed; `result_seed` the seed that produced an evaluation result (a pipeline over seeds has one per seed);
// `run_name`, `run_tags` (space-separated), `parent_run_id` (the pipeline that started the run) and `quick`.
import type { Catalog } from '../catalog/Catalog';
import { withCatalogReader, type EvaluationResultRow } from './catalogReader';

export interface RunResults {
  run: ReturnType<Catalog['getRun']>;
  metrics: { step: number; name: string; value: number }[];
  evaluation: EvaluationResultRow[];
}

/** The runs (all, or of one dataset), oldest first, with everything recorded about them. */
export function collectRunResults(catalog: Catalog, options: { datasetId?: number; runIds?: number[] } = {}): RunResults[] {
  const runs = options.runIds ?? catalog.listRuns(options.datasetId).map((r) => r.id).reverse();
  return withCatalogReader(catalog.file, (reader) =>
    runs.map((runId) => ({ run: catalog.getRun(runId), metrics: catalog.runMetrics(runId), evaluation: reader.evaluationResults(runId) })),
  );
}

export function runResultsJson(results: readonly RunResults[]): string {
  return JSON.stringify(
    results.map(({ run, metrics, evaluation }) => ({
      ...run,
      metrics: metrics.map((m) => ({ ...m, value: Number.isNaN(m.value) ? null : m.value })),
      evaluation,
    })),
    null,
    2,
  ) + '\n';
}

export const RUN_RESULTS_CSV_COLUMNS = ['run_id', 'kind', 'status', 'dataset_id', 'backend', 'seed', 'source', 'task', 'view', 'variant', 'name', 'step', 'value', 'result_seed', 'run_name', 'run_tags', 'parent_run_id', 'quick'];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' && Number.isNaN(value) ? 'NaN' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function runResultsCsv(results: readonly RunResults[]): string {
  const lines = [RUN_RESULTS_CSV_COLUMNS.join(',')];
  for (const { run, metrics, evaluation } of results) {
    const head = [run.id, run.kind, run.status, run.datasetId, run.backend, run.seed];
    // The run's name, its tags (space-separated: a tag is one word) and pipeline, for grouping in a spreadsheet.
    const labels = [run.name, run.tags.join(' '), run.parentRunId, run.quick];
    for (const m of metrics) lines.push([...head, 'metric', null, null, null, m.name, m.step, m.value, null, ...labels].map(csvCell).join(','));
    for (const e of evaluation) lines.push([...head, 'evaluation', e.task, e.view, e.variant, e.metric, null, e.value, e.seed, ...labels].map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}
