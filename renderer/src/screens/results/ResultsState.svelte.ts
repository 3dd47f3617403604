// The Results screen's state: the runs that have results (pipeline and evaluation runs first), the chosen run's
// evaluation rows shaped into the publication's tables and novel-view bars, and its HTML report. Re-reads when a
// run finishes, so a pipeline that completes while the screen is open shows its results.
import { untrack } from 'svelte';
import type { EvaluationRow, ReportInfo, RunSummary } from '../../../../contract/api';
import type { StudioState } from '../../lib/StudioState.svelte';
import { novelViewBars, type NovelViewBars } from './novelViewBars';
import { defaultResultRun, resultRunsFirst } from './resultRuns';
import { resultTables } from './resultTables';

export class ResultsState {
  runs = $state.raw<RunSummary[] | null>(null);
  runId = $state<number | null>(null);
  /** null while loading. */
  rows = $state.raw<EvaluationRow[] | null>(null);
  report = $state.raw<ReportInfo | null>(null);
  /** Why there is no report, when there is none. */
  reportMissing = $state<string | null>(null);

  readonly tables = $derived(resultTables(this.rows ?? []));
  readonly novelViews = $derived(
    this.tables
      .filter((table) => table.kind === 'novelView')
      .map((table) => ({ task: table.task, bars: novelViewBars(table) }))
      .filter((entry): entry is { task: string; bars: NovelViewBars } => entry.bars !== null),
  );

  readonly #studio: StudioState;
  #request = 0;
  /** The user chose a run: keep it rather than jumping to the newest. */
  #chosen = false;

  constructor(studio: StudioState) {
    this.#studio = studio;
  }

  /**
   * Loads the runs and follows run status changes; returns the function that stops following. Untracked, so an
   * $effect that calls it does not re-run when the state it fills in changes.
   */
  start(): () => void {
    return untrack(() => {
      const stop = this.#studio.client.on('run.status', (event) => {
        if (event.status === 'completed' || event.runId === this.runId) void this.loadRuns();
      });
      void this.loadRuns();
      return stop;
    });
  }

  async loadRuns(): Promise<void> {
    try {
      this.runs = resultRunsFirst(await this.#studio.client.api.listRuns({}));
    } catch (error) {
      this.#studio.report('Could not list the runs', error);
      return;
    }
    const stillThere = this.runs.some((run) => run.id === this.runId);
    const next = this.#chosen && stillThere ? this.runId : (defaultResultRun(this.runs)?.id ?? null);
    if (next !== null) await this.#load(next);
  }

  async choose(runId: number): Promise<void> {
    this.#chosen = true;
    await this.#load(runId);
  }

  async #load(runId: number): Promise<void> {
    const request = ++this.#request;
    if (runId !== this.runId) {
      this.runId = runId;
      this.rows = null;
      this.report = null;
      this.reportMissing = null;
    }
    const api = this.#studio.client.api;
    const [rows, report] = await Promise.allSettled([api.listEvaluations({ runId }), api.getReport({ runId })]);
    if (request !== this.#request) return;
    if (rows.status === 'fulfilled') this.rows = rows.value;
    else {
      this.rows = [];
      this.#studio.report(`Could not load the results of run ${runId}`, rows.reason);
    }
    if (report.status === 'fulfilled') {
      this.report = report.value;
      this.reportMissing = report.value.htmlPath === null ? 'this run has no HTML report' : null;
    } else if (report.reason instanceof Error && report.reason.name === 'NotFoundError') {
      this.report = null;
      this.reportMissing = report.reason.message;
    } else {
      this.report = null;
      this.reportMissing = 'the report could not be loaded';
      this.#studio.report(`Could not load the report of run ${runId}`, report.reason);
    }
  }
}
