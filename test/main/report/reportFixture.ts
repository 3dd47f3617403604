// A hand-made pipeline report for the report renderers' tests: per-seed results with round numbers for three seeds
// (1, 2, 3), summarized by the pipeline's own report builder. Retrieval has one pre-training seed (N = 1, no
// spread); C2F-TCN's single-view +EVGAP* Δ Avg is +1.2 ± 0.8 (not significant with N = 3) and its +EVGAP Δ Avg
// +5.0 ± 0.0 (significant); one novel-view metric is missing in every seed.
import { pipelineReport, type PipelineReportInput, type StageResults } from '../../../main/pipeline/pipelineReport';
import type { SeedAnticipationNumbers, SeedRetrievalNumbers, SeedScores, SeedSegmentation } from '../../../main/pipeline/seedResults';
import { pipelineSettings } from '../../../main/pipeline/settings';
import type { ReportData } from '../../../contract/report';

export const scores = (avg: number): SeedScores => ({ f1_10: avg + 3, f1_25: avg + 2, f1_50: avg + 1, edit: avg, acc: avg + 4, avg });

const recall = (r1: number): SeedRetrievalNumbers => ({ recallAt: { '1': r1, '5': r1 * 3, '10': r1 * 5 }, medianRank: 40 - r1 });
const anticipation = (verb: number, object: number, action: number): SeedAnticipationNumbers => ({ verb, object, action, avg: (verb + object + action) / 3 });

/** Seed k (0, 1, 2) of the segmentation stage. */
function segmentation(k: number): SeedSegmentation {
  const base = [30, 31, 29][k]!;
  const frozen = [31, 33, 29.5][k]!;
  const row = (input: 'base' | 'evgap-frozen' | 'evgap', avg: number, label: string) => ({ input, label, scores: scores(avg) });
  return {
    notes: ['single-view: 10 training videos'],
    heads: [
      {
        head: 'c2f-tcn',
        label: 'C2F-TCN',
        preset: 'cpu',
        singleView: [row('base', base, 'Base (raw features)'), row('evgap-frozen', frozen, '+EVGAP* (frozen encoder)'), row('evgap', base + 5, '+EVGAP (fine-tuned encoder)')],
        twoView: [row('base', 29, 'Base (raw features)'), row('evgap-frozen', 29, '+EVGAP* (frozen encoder)'), row('evgap', 28 - k, '+EVGAP (fine-tuned encoder)')],
      },
      {
        head: 'ltcontext',
        label: 'LTContext',
        preset: 'cpu',
        singleView: [row('base', 33, 'Base (raw features)'), row('evgap-frozen', 34, '+EVGAP* (frozen encoder)'), row('evgap', 35, '+EVGAP (fine-tuned encoder)')],
        twoView: [row('base', 33, 'Base (raw features)'), row('evgap-frozen', 33, '+EVGAP* (frozen encoder)'), row('evgap', 36, '+EVGAP (fine-tuned encoder)')],
      },
    ],
    novelView: [
      { view: 'e1', role: 'ego', base: scores(20 + k), evgap: scores(22 + k) },
      { view: 'v1', role: 'exo', base: scores(25), evgap: { ...scores(24 - k), edit: null } },
    ],
  };
}

export function sampleResults(): StageResults {
  return {
    retrieval: [
      {
        split: 'test',
        window: 20,
        stride: 10,
        ks: [1, 5, 10],
        scenes: 2,
        mean: [
          { variant: 'raw', label: 'Raw features (Base)', egoToExo: recall(2), exoToEgo: recall(2) },
          { variant: 'step2', label: 'EVGAP step 1+2', egoToExo: recall(12), exoToEgo: recall(11) },
        ],
        chance: { egoToExo: recall(1.5), exoToEgo: recall(1.5) },
        pairs: [{ variant: 'raw', label: 'Raw features (Base)', egoView: 'e1', exoView: 'v1', egoToExo: recall(2), exoToEgo: recall(2) }],
      },
    ],
    segmentation: [0, 1, 2].map(segmentation),
    anticipation: [0, 1, 2].map((k) => ({
      notes: ['notes'],
      rows: [{ input: 'ego+exo' as const, base: anticipation(100, 80, 30 + k), evgap: anticipation(100, 85, 32 + k) }],
    })),
    ablation: [0, 1, 2].map((k) => [
      { variant: 'base' as const, label: 'Base (raw features)', singleView: scores([30, 31, 29][k]!), twoView: scores(29) },
      { variant: 'random' as const, label: '+random', singleView: scores(27 + k), twoView: scores(28) },
      { variant: 'step1+step2' as const, label: '+step1+step2 (EVGAP)', singleView: scores([31, 33, 29.5][k]!), twoView: scores(28) },
    ]),
  };
}

const losses: Record<number, { step: number; loss: number }[]> = {
  8: [{ step: 1, loss: 5 }, { step: 2, loss: 4 }, { step: 3, loss: 3.5 }],
  9: [{ step: 1, loss: 1 }, { step: 2, loss: 0.8 }],
  10: [{ step: 1, loss: 1.2 }, { step: 2, loss: 1.1 }],
};

export function sampleReportInput(overrides: Partial<PipelineReportInput> = {}): PipelineReportInput {
  return {
    runId: 7,
    status: 'completed',
    failedStage: null,
    error: null,
    dataset: 'demo <&> "quoted"',
    step1Datasets: ['demo <&> "quoted"'],
    preset: 'demo',
    quick: false,
    seeds: [1, 2, 3],
    pretrainingSeeds: [1],
    backend: 'wasm (test)',
    pretrained: [{ seed: 1, step1: 8, step2: 9, step2FromRandom: 10 }],
    givenRuns: false,
    lossPoints: (runId) => losses[runId] ?? [],
    settings: pipelineSettings('demo', false, { segmentation: { heads: ['c2f-tcn', 'ltcontext'] } }),
    heldOutViews: ['e1', 'v1'],
    results: sampleResults(),
    timings: [{ stage: 'pretrain-step1', seconds: 100 }],
    wallSeconds: 600,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function sampleReport(overrides: Partial<PipelineReportInput> = {}): ReportData {
  return pipelineReport(sampleReportInput(overrides));
}
