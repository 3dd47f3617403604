// A small pipeline report (contract/report.ts) for the Results screen's tests: two seeds, one head, one held-out
// view, one anticipation input, Base and +random in the ablation. Numbers are given per seed and summarized here
// with plain arithmetic (mean, n − 1 std; a Δ marked as the test says), so the tests control what is significant.
import { reportFormat, reportVersion, type DeltaStat, type ReportData, type ReportSummary, type Scores, type SeedStat } from '../../../contract/report';

export function stat(values: (number | null)[]): SeedStat {
  const present = values.filter((v): v is number => v !== null);
  const mean = present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
  const std = present.length < 2 || mean === null ? null : Math.sqrt(present.reduce((s, v) => s + (v - mean) ** 2, 0) / (present.length - 1));
  return { mean, std, n: present.length, values };
}

export function delta(base: number[], other: number[], significant: boolean | null): DeltaStat {
  return { ...stat(other.map((v, i) => v - base[i]!)), significant };
}

const scores = (values: number[]): Scores => ({
  f1_10: stat(values.map((v) => v + 3)),
  f1_25: stat(values.map((v) => v + 2)),
  f1_50: stat(values.map((v) => v + 1)),
  edit: stat(values),
  acc: stat(values.map((v) => v + 4)),
  avg: stat(values),
});

const deltas = (base: number[], other: number[], significant: boolean | null) => ({
  f1_10: delta(base, other, significant),
  f1_25: delta(base, other, significant),
  f1_50: delta(base, other, significant),
  edit: delta(base, other, significant),
  acc: delta(base, other, significant),
  avg: delta(base, other, significant),
});

export function reportSample(overrides: Partial<ReportData> = {}): ReportData {
  const seeds = [1, 2];
  const recall = (r: number[]) => ({ recallAt: { '1': stat(r), '5': stat(r.map((v) => v * 2)) }, medianRank: stat(r.map((v) => 40 - v)) });
  return {
    format: reportFormat,
    version: reportVersion,
    runId: 12,
    status: 'completed',
    failedStage: null,
    error: null,
    dataset: 'demo',
    preset: 'demo',
    quick: false,
    seed: 1,
    spread: { seeds, pretrainingSeeds: [1], rule: 'RULE: paired t-test', confidence: 0.95 },
    createdAt: '2026-01-01T00:00:00.000Z',
    backend: 'wasm (test)',
    runs: [{ seed: 1, step1: 2, step2: 3, step2FromRandom: 4 }],
    encoderMode: 'frozen encoder (EVGAP*)',
    settings: {},
    losses: [],
    retrieval: {
      seeds: [1],
      split: 'test',
      window: 16,
      stride: 8,
      ks: [1, 5],
      scenes: 1,
      mean: [
        { variant: 'raw', label: 'Raw features (Base)', egoToExo: recall([2]), exoToEgo: recall([2]) },
        { variant: 'step2', label: 'EVGAP step 1+2', egoToExo: recall([60]), exoToEgo: recall([58]) },
      ],
      chance: { egoToExo: { recallAt: { '1': 1.4, '5': 7 }, medianRank: 36 }, exoToEgo: { recallAt: { '1': 1.4, '5': 7 }, medianRank: 36 } },
      pairs: [],
    },
    segmentation: {
      seeds,
      notes: ['single-view: 4 training videos'],
      heads: [
        {
          head: 'c2f-tcn',
          label: 'C2F-TCN',
          preset: 'cpu',
          singleView: [
            { input: 'base', label: 'Base (raw features)', scores: scores([30, 32]), delta: null },
            { input: 'evgap-frozen', label: '+EVGAP* (frozen encoder)', scores: scores([31, 34]), delta: deltas([30, 32], [31, 34], false) },
          ],
          twoView: [
            { input: 'base', label: 'Base (raw features)', scores: scores([29, 29]), delta: null },
            { input: 'evgap-frozen', label: '+EVGAP* (frozen encoder)', scores: scores([35, 35.2]), delta: deltas([29, 29], [35, 35.2], true) },
          ],
        },
      ],
    },
    novelView: {
      seeds,
      heldOutViews: ['e1'],
      head: 'C2F-TCN',
      rows: [{ view: 'e1', role: 'ego', base: scores([20, 22]), evgap: scores([24, 25]), delta: deltas([20, 22], [24, 25], true) }],
    },
    anticipation: {
      seeds,
      notes: [],
      rows: [
        {
          input: 'ego',
          base: { verb: stat([40, 42]), object: stat([30, 30]), action: stat([10, 12]), avg: stat([26.7, 28]) },
          evgap: { verb: stat([41, 40]), object: stat([31, 33]), action: stat([11, 12]), avg: stat([27.7, 28.3]) },
          delta: { verb: delta([40, 42], [41, 40], false), object: delta([30, 30], [31, 33], false), action: delta([10, 12], [11, 12], false), avg: delta([26.7, 28], [27.7, 28.3], false) },
        },
      ],
    },
    ablation: {
      seeds,
      notes: [],
      head: 'C2F-TCN',
      rows: [
        { variant: 'base', label: 'Base (raw features)', singleView: scores([30, 32]), twoView: scores([29, 29]), singleViewDelta: null, twoViewDelta: null },
        { variant: 'random', label: '+random', singleView: scores([25, 26]), twoView: scores([27, 27]), singleViewDelta: deltas([30, 32], [25, 26], true), twoViewDelta: deltas([29, 29], [27, 27], true) },
      ],
    },
    timings: [],
    wallSeconds: 60,
    ...overrides,
  };
}

export function summaryOf(report: ReportData): ReportSummary {
  return {
    runId: report.runId,
    datasetId: 1,
    dataset: report.dataset,
    status: report.status,
    failedStage: report.failedStage,
    error: report.error,
    quick: report.quick,
    preset: report.preset,
    seeds: report.spread.seeds.length,
    createdAt: report.createdAt,
    problem: null,
  };
}
