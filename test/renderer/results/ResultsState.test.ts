// @vitest-environment jsdom
// The Results screen's state (ResultsState.svelte.ts): lists the runs that have a report, opens the newest
// completed one, lays out the chosen report's typed tables, follows a user's (or a link's) choice, drops an answer
// that arrives after the user moved on, re-lists when a run ends, and says why a report could not be loaded.
import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent, ApiEvents, ReportInfo } from '../../../contract/api';
import { NotFoundError } from '../../../contract/errors';
import type { ReportSummary } from '../../../contract/report';
import { ResultsState, type ResultsSource } from '../../../renderer/src/screens/results/ResultsState.svelte';
import { reportSample, summaryOf } from './reportSample';

type Deferred = { resolve: (info: ReportInfo) => void; reject: (error: Error) => void };

/** The API's report methods and run events, answered from memory (or held back, to order answers by hand). */
class FakeSource implements ResultsSource {
  reports: ReportSummary[] = [];
  infos = new Map<number, ReportInfo | Error>();
  /** Runs whose getReport answers wait until the test resolves them. */
  held = new Map<number, Deferred[]>();
  calls: number[] = [];
  /** How many times the runs with a report were listed. */
  listCalls = 0;
  readonly #listeners = new Map<string, Set<(payload: never) => void>>();

  readonly api: ResultsSource['api'] = {
    listReports: async () => {
      this.listCalls++;
      return this.reports;
    },
    getReport: ({ runId }) => {
      this.calls.push(runId);
      const queue = this.held.get(runId);
      if (queue) return new Promise<ReportInfo>((resolve, reject) => queue.push({ resolve, reject }));
      const info = this.infos.get(runId);
      if (info === undefined) return Promise.reject(new NotFoundError(`no run ${runId}`));
      return info instanceof Error ? Promise.reject(info) : Promise.resolve(info);
    },
  };

  on<E extends ApiEvent>(name: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends ApiEvent>(name: E, payload: ApiEvents[E]): void {
    for (const listener of this.#listeners.get(name) ?? []) (listener as (p: ApiEvents[E]) => void)(payload);
  }

  add(data: ReturnType<typeof reportSample>): void {
    this.reports = [summaryOf(data), ...this.reports].sort((a, b) => b.runId - a.runId);
    this.infos.set(data.runId, { runId: data.runId, htmlPath: `/reports/${data.runId}/index.html`, data, problem: null });
  }
}

/** Waits until the state shows run `runId`'s report (its list and the report loaded). */
const showing = (state: ResultsState, runId: number) => vi.waitFor(() => expect(state.report?.runId).toBe(runId));

function setup() {
  const source = new FakeSource();
  const reported: string[] = [];
  const state = new ResultsState(source, (title) => reported.push(title));
  return { source, state, reported };
}

describe('ResultsState', () => {
  it('lists the runs with a report and opens the newest completed one, laid out as the report’s tables', async () => {
    const { source, state } = setup();
    source.add(reportSample({ runId: 12 }));
    source.add(reportSample({ runId: 14, status: 'failed', failedStage: 'ablation', error: 'ablation: Error: x', ablation: null }));
    source.add(reportSample({ runId: 13, quick: true }));
    const stop = state.start();
    await showing(state, 13);
    expect(state.reports?.map((r) => r.runId)).toEqual([14, 13, 12]);
    expect(state.runId).toBe(13);
    expect(state.summary).toMatchObject({ runId: 13, quick: true, status: 'completed' });
    expect(state.tables.map((t) => t.kind)).toEqual(['retrieval', 'retrieval-pairs', 'segmentation', 'novel-view', 'anticipation', 'ablation']);
    expect(state.tables.find((t) => t.kind === 'segmentation')!.seeds).toEqual([1, 2]);
    stop();
  });

  it('shows the run it is asked for, a failed one with only its finished tables', async () => {
    const { source, state } = setup();
    source.add(reportSample({ runId: 12 }));
    source.add(reportSample({ runId: 14, status: 'failed', failedStage: 'ablation', error: 'ablation: Error: x', ablation: null }));
    state.start();
    await showing(state, 12);
    await state.selectRun(14);
    expect(state.runId).toBe(14);
    expect(state.data).toMatchObject({ status: 'failed', failedStage: 'ablation', error: 'ablation: Error: x' });
    expect(state.tables.map((t) => t.kind)).not.toContain('ablation');
    expect(state.report?.htmlPath).toBe('/reports/14/index.html');
  });

  it('keeps the latest choice when an earlier answer arrives after it', async () => {
    const { source, state } = setup();
    source.add(reportSample({ runId: 12 }));
    source.add(reportSample({ runId: 13 }));
    source.held.set(12, []);
    const first = state.selectRun(12);
    await state.selectRun(13);
    source.held.get(12)![0]!.resolve(source.infos.get(12) as ReportInfo);
    await first;
    expect(state.runId).toBe(13);
    expect(state.data?.runId).toBe(13);
  });

  it('lists again when a run ends, keeping the run the user chose', async () => {
    const { source, state } = setup();
    source.add(reportSample({ runId: 12 }));
    source.add(reportSample({ runId: 13 }));
    const stop = state.start();
    await showing(state, 13);
    await state.selectRun(12);
    source.add(reportSample({ runId: 15 }));
    source.emit('run.status', { runId: 15, kind: 'pipeline', status: 'completed', error: null });
    await vi.waitFor(() => expect(state.reports?.map((r) => r.runId)).toEqual([15, 13, 12]));
    await showing(state, 12);
    stop();
    // Stopped: the event reaches no listener, so the list is not asked for again.
    const lists = source.listCalls;
    source.add(reportSample({ runId: 16 }));
    source.emit('run.status', { runId: 16, kind: 'pipeline', status: 'failed', error: 'x' });
    expect(source.listCalls).toBe(lists);
    expect(state.reports?.map((r) => r.runId)).toEqual([15, 13, 12]);
  });

  it('says why a report could not be loaded, reporting only unexpected errors', async () => {
    const { source, state, reported } = setup();
    await state.selectRun(99);
    expect(state.loadError).toBe('no run 99');
    expect(reported).toEqual([]);
    source.infos.set(98, new Error('socket closed'));
    await state.selectRun(98);
    expect(state.loadError).toBe('socket closed');
    expect(reported).toEqual(['Could not load the report of run 98']);
    expect(state.tables).toEqual([]);
  });

  it('has no tables for a report of another version, and keeps its problem', async () => {
    const { source, state } = setup();
    source.reports = [{ ...summaryOf(reportSample({ runId: 5 })), problem: 'expected report version 3, got 2' }];
    source.infos.set(5, { runId: 5, htmlPath: '/reports/5/index.html', data: null, problem: 'expected report version 3, got 2' });
    state.start();
    await showing(state, 5);
    expect(state.runId).toBe(5);
    expect(state.report?.problem).toBe('expected report version 3, got 2');
    expect(state.tables).toEqual([]);
  });
});
