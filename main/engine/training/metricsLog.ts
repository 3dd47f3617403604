// Per-step training metrics as catalog rows, written in batches: one short transaction every few steps rather
// than one per step, so the UI and other processes reading the catalog are never held up by the training loop.
// Rows of a step logged again (a resumed run replaying steps after its checkpoint) replace the old values.
import type { Catalog } from '../../catalog/Catalog';
import type { StepMetrics } from './trainingStep';

/**
 * Metric names: `loss` (L_total), `loss_final` (L(H)), `loss_aux_<l>` (w·L(h_l), l = 1 … L−1), `logit_scale`
 * (t = exp(s)), `bias` (b, only with a bias), `grad_norm`, `param_norm`, `lr`, `clips_per_s`.
 */
export function metricValues(metrics: StepMetrics, clipsPerSecond: number): Record<string, number> {
  const values: Record<string, number> = { loss: metrics.loss, loss_final: metrics.finalLoss };
  metrics.auxiliaryTerms.forEach((term, index) => {
    values[`loss_aux_${index + 1}`] = term;
  });
  values.logit_scale = metrics.logitScale;
  if (metrics.bias !== null) values.bias = metrics.bias;
  values.grad_norm = metrics.gradNorm;
  values.param_norm = metrics.paramNorm;
  values.lr = metrics.learningRate;
  values.clips_per_s = clipsPerSecond;
  return values;
}

export class MetricsLog {
  readonly #catalog: Pick<Catalog, 'addRunMetrics'>;
  readonly #runId: number;
  #pending: { step: number; name: string; value: number }[] = [];

  constructor(catalog: Pick<Catalog, 'addRunMetrics'>, runId: number) {
    this.#catalog = catalog;
    this.#runId = runId;
  }

  add(step: number, values: Record<string, number>): void {
    for (const [name, value] of Object.entries(values)) this.#pending.push({ step, name, value });
  }

  /** Writes the buffered rows in one transaction. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const rows = this.#pending;
    this.#pending = [];
    this.#catalog.addRunMetrics(this.#runId, rows);
  }
}
