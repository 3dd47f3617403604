// A hand-made pipeline report with round numbers, for the report renderers' tests.
import { reportFormat, reportVersion, type ReportData, type Scores } from '../../../main/report/reportData';

export const scores = (avg: number): Scores => ({ f1_10: avg + 3, f1_25: avg + 2, f1_50: avg + 1, edit: avg, acc: avg + 4, avg });

export function sampleReport(): ReportData {
  const numbers = (r1: number) => ({ recallAt: { '1': r1, '5': r1 * 3, '10': r1 * 5 }, medianRank: 40 - r1 });
  return {
    format: reportFormat,
    version: reportVersion,
    runId: 7,
    dataset: 'demo <&> "quoted"',
    preset: 'demo',
    quick: false,
    seed: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    backend: 'wasm (test)',
    runs: { step1: 8, step2: 9, step2FromRandom: 10 },
    encoderMode: 'frozen encoder (EVGAP*)',
    settings: { note: 'settings' },
    losses: [
      { runId: 8, label: 'Step 1 (pairs)', points: [{ step: 1, loss: 5 }, { step: 2, loss: 4 }, { step: 3, loss: 3.5 }] },
      { runId: 9, label: 'Step 2 (groups)', points: [{ step: 1, loss: 1 }, { step: 2, loss: 0.8 }] },
    ],
    retrieval: {
      split: 'test',
      window: 20,
      stride: 10,
      ks: [1, 5, 10],
      scenes: 2,
      mean: [
        { variant: 'raw', label: 'Raw features (Base)', egoToExo: numbers(2), exoToEgo: numbers(2) },
        { variant: 'step2', label: 'EVGAP step 1+2', egoToExo: numbers(12), exoToEgo: numbers(11) },
      ],
      chance: { egoToExo: numbers(1.5), exoToEgo: numbers(1.5) },
      pairs: [{ variant: 'raw', label: 'Raw features (Base)', egoView: 'e1', exoView: 'v1', egoToExo: numbers(2), exoToEgo: numbers(2) }],
    },
    segmentation: {
      notes: ['single-view: 10 training videos'],
      singleView: [
        { variant: 'base', label: 'Base (raw features)', scores: scores(30) },
        { variant: 'step1+step2', label: '+step1+step2 (EVGAP)', scores: scores(32) },
      ],
      twoView: [
        { variant: 'base', label: 'Base (raw features)', scores: scores(29) },
        { variant: 'step1+step2', label: '+step1+step2 (EVGAP)', scores: scores(28) },
      ],
    },
    novelView: {
      heldOutViews: ['e1', 'v1'],
      rows: [
        { view: 'e1', role: 'ego', base: scores(20), evgap: scores(22), delta: scores(2) },
        { view: 'v1', role: 'exo', base: scores(25), evgap: { ...scores(24), edit: null }, delta: { ...scores(-1), edit: null } },
      ],
    },
    anticipation: {
      notes: ['notes'],
      rows: [{ input: 'ego+exo', base: { verb: 100, object: 80, action: 30, avg: 70 }, evgap: { verb: 100, object: 85, action: 32, avg: 72.3 }, delta: { verb: 0, object: 5, action: 2, avg: 2.3 } }],
    },
    ablation: {
      notes: ['+step2: step 2 alone'],
      rows: [
        { variant: 'base', label: 'Base (raw features)', singleView: scores(30), twoView: scores(29) },
        { variant: 'random', label: '+random', singleView: scores(27), twoView: scores(28) },
        { variant: 'step1+step2', label: '+step1+step2 (EVGAP)', singleView: scores(32), twoView: scores(28) },
      ],
    },
    timings: [{ stage: 'pretrain-step1', seconds: 100 }],
    wallSeconds: 600,
  };
}
