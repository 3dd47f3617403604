// Compare: the runs chosen in the runs list (two or more), each loaded once — its stored config, its loss curve and
// final training metrics (a pipeline's from the step-1 and step-2 runs it started) and a pipeline's evaluation
// results — then laid side by side: the loss curves overlaid, the fields of their configs that differ
// (contract/runConfig.ts), and their final losses and headline metrics. A compared run that is training keeps its
// curve live; one that ends is read again.
import type { Api, EvaluationRow, MetricPoint, RunDetail, RunSummary } from '../../../../contract/api';
import { configDiff, type ConfigDifference } from '../../../../contract/runConfig';
import { evaluationRows, finalValues, trainingMetrics, trainingRows, type CompareRow, type FinalMetrics } from './compareMetrics';
import { compareAtCommonSteps, comparisonChart, type ComparedCurve, type ComparisonAxis, type ComparisonSummary } from './runComparison';
import { curvesFromPoints, withStep, type CurvePoint } from './runCurves';
import { plannedSteps, runLabel } from './runFormat';
import type { LineChartSpec } from './trainingCharts';

/** What Compare needs of the API. */
export type CompareApi = Pick<Api, 'getRun' | 'runMetrics' | 'listEvaluations'>;

export interface ComparedRun {
  detail: RunDetail;
  label: string;
  /** Its own loss curve (a pre-training run's); empty for a pipeline. */
  loss: readonly CurvePoint[];
  final: FinalMetrics;
  evaluations: readonly EvaluationRow[];
}

const stepOf = (kind: string) => (kind === 'pretrain-step1' ? 'step 1' : kind === 'pretrain-step2' ? 'step 2' : null);

export class RunCompareState {
  /** The chosen runs, in the order they were chosen. */
  ids = $state<number[]>([]);
  axis = $state<ComparisonAxis>('step');
  #loaded = $state.raw<ReadonlyMap<number, ComparedRun>>(new Map());

  /** The chosen runs that are loaded, in the order chosen. */
  readonly runs: ComparedRun[] = $derived(this.ids.flatMap((id) => this.#loaded.get(id) ?? []));
  readonly loading = $derived(this.runs.length < this.ids.length);
  /** The loss curves of the runs that have one. */
  readonly chart: { spec: LineChartSpec; summary: ComparisonSummary; labels: string[] } | null = $derived.by(() => {
    const curves: ComparedCurve[] = this.runs
      .filter((run) => run.loss.length > 0)
      .map((run) => ({ label: run.label, points: run.loss, totalSteps: plannedSteps(run.detail) }));
    if (curves.length === 0) return null;
    return { spec: comparisonChart(curves, this.axis), summary: compareAtCommonSteps(curves.map((c) => c.points)), labels: curves.map((c) => c.label) };
  });
  readonly differences: ConfigDifference[] = $derived(this.runs.length < 2 ? [] : configDiff(this.runs.map((run) => run.detail.config)));
  readonly metrics: CompareRow[] = $derived([...trainingRows(this.runs.map((run) => run.final)), ...evaluationRows(this.runs.map((run) => run.evaluations))]);

  readonly #api: () => CompareApi;
  readonly #allRuns: () => readonly RunSummary[];
  readonly #report: (what: string, error: unknown) => void;
  #requests = new Map<number, number>();

  /** `allRuns` is the runs list (a pipeline's runs are found in it); `report` puts a failure in the error banner. */
  constructor(api: () => CompareApi, allRuns: () => readonly RunSummary[], report: (what: string, error: unknown) => void) {
    this.#api = api;
    this.#allRuns = allRuns;
    this.#report = report;
  }

  has(runId: number): boolean {
    return this.ids.includes(runId);
  }

  /** Adds a run to the comparison (loading it) or takes it out. */
  async toggle(runId: number, on: boolean): Promise<void> {
    if (!on) {
      this.ids = this.ids.filter((id) => id !== runId);
      return;
    }
    if (this.has(runId)) return;
    this.ids = [...this.ids, runId];
    await this.load(runId);
  }

  clear(): void {
    this.ids = [];
  }

  /** (Re)reads a chosen run: details, curves, final metrics, evaluations. */
  async load(runId: number): Promise<void> {
    if (!this.has(runId)) return;
    const request = (this.#requests.get(runId) ?? 0) + 1;
    this.#requests.set(runId, request);
    try {
      const api = this.#api();
      const detail = await api.getRun({ runId });
      const own = stepOf(detail.kind) === null ? [] : await api.runMetrics({ runId });
      const final: FinalMetrics = {};
      const ownStep = stepOf(detail.kind);
      if (ownStep !== null) final[ownStep] = finalValues(own);
      let evaluations: EvaluationRow[] = [];
      if (detail.kind === 'pipeline') {
        evaluations = await api.listEvaluations({ runId });
        // The pipeline's own pre-training: its first step-1 and step-2 runs (the first seed's).
        const children = this.#allRuns().filter((run) => run.parentRunId === runId).sort((a, b) => a.id - b.id);
        for (const step of ['step 1', 'step 2'] as const) {
          const child = children.find((run) => stepOf(run.kind) === step);
          if (child !== undefined) final[step] = finalValues(await api.runMetrics({ runId: child.id, names: [...trainingMetrics] }));
        }
      }
      if (this.#requests.get(runId) !== request || !this.has(runId)) return;
      const next = new Map(this.#loaded);
      next.set(runId, { detail, label: runLabel(detail), loss: curvesFromPoints(own).loss ?? [], final, evaluations });
      this.#loaded = next;
    } catch (error) {
      this.#report(`Could not load run ${runId} for the comparison`, error);
      if (this.#requests.get(runId) === request) this.ids = this.ids.filter((id) => id !== runId);
    }
  }

  /** A training step of a run: extends a compared run's loss curve and final metrics while it trains. */
  onProgress(event: { runId: number; step: number; metrics: Readonly<Record<string, number>> }): void {
    const run = this.#loaded.get(event.runId);
    const step = run && stepOf(run.detail.kind);
    if (!run || step === null || step === undefined) return;
    const final = { ...run.final, [step]: { ...run.final[step], ...finalValues(Object.entries(event.metrics).map(([name, value]) => ({ step: event.step, name, value }) as MetricPoint)) } };
    const next = new Map(this.#loaded);
    next.set(event.runId, { ...run, loss: withStep({ loss: run.loss }, event.step, { loss: event.metrics.loss ?? Number.NaN }).loss ?? run.loss, final });
    this.#loaded = next;
  }

  /** A run's name or tags changed: its label follows. */
  relabel(summary: RunSummary): void {
    const run = this.#loaded.get(summary.id);
    if (!run) return;
    const detail = { ...run.detail, name: summary.name, tags: summary.tags };
    const next = new Map(this.#loaded);
    next.set(summary.id, { ...run, detail, label: runLabel(detail) });
    this.#loaded = next;
  }
}
