// The Results screen's run selector: how a run with a report reads (seeds, quick, failed with its stage) and which
// run opens first (the newest completed, else the newest).
import { describe, expect, it } from 'vitest';
import type { ReportSummary } from '../../../contract/report';
import { defaultReport, reportLabel } from '../../../renderer/src/screens/results/resultRuns';

const summary = (runId: number, extra: Partial<ReportSummary> = {}): ReportSummary => ({
  runId,
  datasetId: 1,
  dataset: 'demo',
  status: 'completed',
  failedStage: null,
  error: null,
  quick: false,
  preset: 'demo',
  seeds: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  problem: null,
  ...extra,
});

describe('result runs', () => {
  it('label a run by id, dataset and seeds, marking quick checks and runs that stopped', () => {
    expect(reportLabel(summary(3))).toBe('#3 demo · 1 seed');
    expect(reportLabel(summary(4, { seeds: 3, quick: true }))).toBe('#4 demo · 3 seeds · quick');
    expect(reportLabel(summary(5, { status: 'failed', failedStage: 'ablation' }))).toBe('#5 demo · 1 seed · failed in ablation');
    expect(reportLabel(summary(6, { status: 'cancelled' }))).toBe('#6 demo · 1 seed · cancelled');
  });

  it('open the newest completed run, else the newest', () => {
    expect(defaultReport([summary(2), summary(7, { status: 'failed' }), summary(5, { quick: true })])?.runId).toBe(5);
    expect(defaultReport([summary(2, { status: 'cancelled' }), summary(7, { status: 'failed' })])?.runId).toBe(7);
    expect(defaultReport([])).toBeNull();
  });
});
