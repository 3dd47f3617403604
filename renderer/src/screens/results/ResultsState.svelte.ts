// The Results screen's state: the runs that have a report (api.listReports: pipelines, completed or stopped with
// partial results), the chosen run's report (api.getReport: the typed tables of contract/report.ts) laid out as
// the report's tables (contract/reportTables.ts, the same layout the HTML report draws). Re-reads when a run
// ends, so a pipeline that finishes while the screen is open shows up. `selectRun` is what a user's choice (or a
// link to a run) calls.
import { untrack } from 'svelte';
import type { Api, ReportInfo } from '../../../../contract/api';
import type { ReportData, ReportSummary } from '../../../../contract/report';
import { reportTables, type ReportTable } from '../../../../contract/reportTables';
import type { StudioClient } from '../../lib/StudioClient';
import { defaultReport } from './resultRuns';

/** What the state reads: the report methods of the API and the run status events. */
export type ResultsSource = { readonly api: Pick<Api, 'listReports' | 'getReport'>; on: StudioClient['on'] };

export class ResultsState {
  /** The runs with a report, newest first; null while loading. */
  reports = $state.raw<ReportSummary[] | null>(null);
  runId = $state<number | null>(null);
  /** The chosen run's report; null while it loads (or without a chosen run). */
  report = $state.raw<ReportInfo | null>(null);
  /** Why the chosen run's report could not be loaded. */
  loadError = $state<string | null>(null);

  readonly summary = $derived(this.reports?.find((r) => r.runId === this.runId) ?? null);
  readonly data = $derived<ReportData | null>(this.report?.data ?? null);
  readonly tables = $derived<ReportTable[]>(this.data ? reportTables(this.data) : []);

  readonly #source: ResultsSource;
  readonly #report: (title: string, error: unknown) => void;
  #request = 0;
  /** The user (or a link) chose a run: keep it rather than jumping to the newest. */
  #chosen = false;

  constructor(source: ResultsSource, report: (title: string, error: unknown) => void) {
    this.#source = source;
    this.#report = report;
  }

  /**
   * Loads the runs and follows runs ending; returns the function that stops following. Untracked, so an $effect
   * that calls it does not re-run when the state it fills in changes.
   */
  start(): () => void {
    return untrack(() => {
      const stop = this.#source.on('run.status', (event) => {
        if (event.status === 'completed' || event.status === 'failed' || event.status === 'cancelled') void this.loadReports();
      });
      void this.loadReports();
      return stop;
    });
  }

  async loadReports(): Promise<void> {
    try {
      this.reports = await this.#source.api.listReports({});
    } catch (error) {
      this.#report('Could not list the runs with results', error);
      return;
    }
    const keep = this.#chosen && this.runId !== null;
    const next = keep ? this.runId : (defaultReport(this.reports)?.runId ?? null);
    if (next !== null) await this.#load(next);
  }

  /** Shows a run's report (the selector's choice, or a link to a run). */
  async selectRun(runId: number): Promise<void> {
    this.#chosen = true;
    await this.#load(runId);
  }

  async #load(runId: number): Promise<void> {
    const request = ++this.#request;
    if (runId !== this.runId) {
      this.runId = runId;
      this.report = null;
      this.loadError = null;
    }
    try {
      const report = await this.#source.api.getReport({ runId });
      if (request !== this.#request) return;
      this.report = report;
      this.loadError = null;
    } catch (error) {
      if (request !== this.#request) return;
      this.report = null;
      this.loadError = error instanceof Error ? error.message : String(error);
      if (!(error instanceof Error && error.name === 'NotFoundError')) this.#report(`Could not load the report of run ${runId}`, error);
    }
  }
}
