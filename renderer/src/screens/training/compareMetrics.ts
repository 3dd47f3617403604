// The numbers Compare puts side by side: each run's final training metrics (a pipeline's from the step-1 and step-2
// runs it started) and a pipeline's headline evaluation results (mean over seeds), in the report's order: retrieval
// R@1 both ways, segmentation Avg per protocol and input, anticipation Avg per input (the ablation and every other
// number are in Results). One row per number, a value per run.
import type { EvaluationRow, MetricPoint } from '../../../../contract/api';

export type StepName = 'step 1' | 'step 2';

/** Final value (at the last step that logged it) of each metric of one pre-training step of a run. */
export type FinalMetrics = Partial<Record<StepName, Record<string, { step: number; value: number }>>>;

export interface CompareRow {
  group: 'training' | 'evaluation';
  label: string;
  /** One per compared run, in their order; null where the run has no such number. */
  values: (number | null)[];
  /** How many of the runs' logged steps the value is at (training rows), per run. */
  steps?: (number | null)[];
}

/** The training metrics Compare shows, in order (throughput and learning rate say little about the result). */
export const trainingMetrics = ['loss', 'loss_final', 'logit_scale', 'bias', 'grad_norm'] as const;

/** The last finite value of each metric, with its step. */
export function finalValues(points: readonly MetricPoint[]): Record<string, { step: number; value: number }> {
  const last: Record<string, { step: number; value: number }> = {};
  for (const point of points) {
    if (!Number.isFinite(point.value)) continue;
    const known = last[point.name];
    if (known === undefined || point.step >= known.step) last[point.name] = { step: point.step, value: point.value };
  }
  return last;
}

/** Rows of the training metrics any run has: "step 1 · loss" and so on. */
export function trainingRows(runs: readonly FinalMetrics[]): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const step of ['step 1', 'step 2'] as const) {
    for (const metric of trainingMetrics) {
      const cells = runs.map((run) => run[step]?.[metric] ?? null);
      if (cells.every((cell) => cell === null)) continue;
      rows.push({ group: 'training', label: `${step} · ${metric}`, values: cells.map((c) => c?.value ?? null), steps: cells.map((c) => c?.step ?? null) });
    }
  }
  return rows;
}

/** Whether an evaluation row is one of the headline numbers. */
function isHeadline(row: EvaluationRow): boolean {
  if (row.task === 'retrieval') return row.view === 'mean' && row.variant !== 'chance' && /^(ego2exo|exo2ego)\.R@1$/.test(row.metric);
  if (row.task.startsWith('segmentation:')) return (row.view === 'single-view' || row.view === 'two-view') && row.metric === 'avg';
  if (row.task === 'anticipation') return row.metric === 'avg';
  return false;
}

const arrows: Record<string, string> = { ego2exo: 'ego→exo', exo2ego: 'exo→ego' };

function headlineLabel(row: EvaluationRow): string {
  if (row.task === 'retrieval') {
    const [direction, metric] = row.metric.split('.');
    return `retrieval ${arrows[direction!] ?? direction} ${metric} · ${row.variant}`;
  }
  const task = row.task.replace(/^segmentation:/, 'segmentation ');
  return `${task} ${row.view} avg · ${row.variant}`;
}

/** Retrieval, then segmentation, then anticipation, as the report's tables come. */
const taskOrder = (label: string) => ['retrieval', 'segmentation', 'anticipation'].findIndex((task) => label.startsWith(task));

/** Headline evaluation rows of the runs (their mean over seeds): by task, then as the first run that has each lists it. */
export function evaluationRows(runs: readonly (readonly EvaluationRow[])[]): CompareRow[] {
  const order: string[] = [];
  const means = runs.map((rows) => {
    const sums = new Map<string, { sum: number; n: number }>();
    for (const row of rows) {
      if (!isHeadline(row) || !Number.isFinite(row.value)) continue;
      const label = headlineLabel(row);
      if (!order.includes(label)) order.push(label);
      const entry = sums.get(label) ?? { sum: 0, n: 0 };
      entry.sum += row.value;
      entry.n += 1;
      sums.set(label, entry);
    }
    return sums;
  });
  order.sort((a, b) => taskOrder(a) - taskOrder(b));
  return order.map((label) => ({
    group: 'evaluation',
    label,
    values: means.map((sums) => {
      const entry = sums.get(label);
      return entry === undefined ? null : entry.sum / entry.n;
    }),
  }));
}

/** A metric value for the table: four significant digits, "—" when missing. */
export function formatMetric(value: number | null): string {
  if (value === null) return '—';
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
