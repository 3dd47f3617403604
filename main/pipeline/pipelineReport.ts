// The pipeline's report (contract/report.ts) from what its stages measured per seed: each table summarized over
// the seeds that finished it (mean ± std, paired Δ with significance), the rule in the notes, the pre-training
// runs (per pre-training seed) with their loss curves and what the ablation's rows are, and how the pipeline ended. A pipeline that failed or was cancelled gets the tables
// it finished (a stage with some seeds done shows those seeds, its n says how many); the others are null.
import { segmentationHeadLabels } from '../../contract/api';
import { reportFormat, reportVersion, type LossCurve, type PretrainingRuns, type ReportData, type ReportStatus, type StageTiming } from '../../contract/report';
import { SIGNIFICANCE_CONFIDENCE, significanceRule } from '../report/seedStatistics';
import { summarizeAblation, summarizeAnticipation, summarizeRetrieval, summarizeSegmentation } from '../report/seedSummary';
import type { SeedAblationRow, SeedAnticipation, SeedRetrieval, SeedSegmentation } from './seedResults';
import { encoderModeLabel, type PipelineSettings } from './settings';

/** Each stage's results, one entry per seed in the order of the seeds (retrieval: of the pre-training seeds). */
export type StageResults = {
  retrieval: SeedRetrieval[];
  segmentation: SeedSegmentation[];
  anticipation: SeedAnticipation[];
  ablation: SeedAblationRow[][];
};

export type PipelineReportInput = {
  runId: number;
  status: ReportStatus;
  failedStage: string | null;
  error: string | null;
  dataset: string;
  /** The datasets step 1 trained on (the pipeline's own, or several mixed). */
  step1Datasets: string[];
  preset: string;
  quick: boolean;
  /** The heads' seeds; the first is the pipeline's seed. */
  seeds: number[];
  pretrainingSeeds: number[];
  backend: string;
  /** The pre-training runs of each pre-training seed, as far as they were made (or given). */
  pretrained: PretrainingRuns[];
  /** The runs were given (evaluated as they are), not made by this pipeline. */
  givenRuns: boolean;
  /** A pre-training run's loss per step. */
  lossPoints: (runId: number) => LossCurve['points'];
  settings: PipelineSettings;
  heldOutViews: string[];
  results: StageResults;
  timings: StageTiming[];
  wallSeconds: number;
  createdAt: string;
};

/** What the ablation's +step rows are, in words: which encoders, made or given, frozen or fine-tuned. */
function ablationNotes(input: PipelineReportInput): string[] {
  const fromRandom = input.pretrained.flatMap((r) => (r.step2FromRandom === null ? [] : [r.step2FromRandom]));
  const { settings } = input;
  return [
    '+random: a randomly initialized encoder trained end to end with the head',
    fromRandom.length > 0
      ? `+step1: the step-1 encoder; +step2: step 2 alone, from a random init (run ${fromRandom.join(', ')}${input.givenRuns ? '' : `, ${settings.step2FromRandomSteps} steps`}); +step1+step2: the step-2 encoder initialized from step 1`
      : '+step1: the step-1 encoder; +step2 left out (evaluating given runs, and no step-2-from-random run was given); +step1+step2: the given step-2 encoder',
    `+step1, +step2, +step1+step2 features: ${encoderModeLabel(settings.segmentation.encoderMode)}; Base and +step1+step2 are the segmentation table's rows`,
    `head: ${segmentationHeadLabels[settings.segmentation.heads[0]!]}`,
  ];
}

/** The loss curve of every pre-training run, per pre-training seed (named by seed when there are several). */
function lossCurves(input: PipelineReportInput): LossCurve[] {
  const several = input.pretrained.length > 1;
  const step1Label = input.step1Datasets.length > 1 ? `Step 1 (pairs of ${input.step1Datasets.join(' + ')})` : 'Step 1 (pairs)';
  return input.pretrained.flatMap((r) =>
    (
      [
        [r.step1, step1Label],
        [r.step2, 'Step 2 (groups)'],
        [r.step2FromRandom, 'Step 2 from random init (ablation)'],
      ] as const
    ).flatMap(([runId, label]) => (runId === null ? [] : [{ runId, label: several ? `${label}, seed ${r.seed}` : label, points: input.lossPoints(runId) }])),
  );
}

export function pipelineReport(input: PipelineReportInput): ReportData {
  const { results, seeds, settings } = input;
  const firstHead = segmentationHeadLabels[settings.segmentation.heads[0]!];
  const seedsOf = (done: number, all: readonly number[]) => all.slice(0, done);
  const segmentation =
    results.segmentation.length === 0
      ? null
      : summarizeSegmentation(seedsOf(results.segmentation.length, seeds), results.segmentation, { heldOutViews: input.heldOutViews, head: firstHead });
  return {
    format: reportFormat,
    version: reportVersion,
    runId: input.runId,
    status: input.status,
    failedStage: input.failedStage,
    error: input.error,
    dataset: input.dataset,
    preset: input.preset,
    quick: input.quick,
    seed: seeds[0]!,
    spread: { seeds, pretrainingSeeds: input.pretrainingSeeds, rule: significanceRule(seeds), confidence: SIGNIFICANCE_CONFIDENCE },
    createdAt: input.createdAt,
    backend: input.backend,
    runs: input.pretrained.filter((r) => r.step1 !== null),
    encoderMode: encoderModeLabel(settings.segmentation.encoderMode),
    settings,
    losses: lossCurves(input),
    retrieval: results.retrieval.length === 0 ? null : summarizeRetrieval(seedsOf(results.retrieval.length, input.pretrainingSeeds), results.retrieval),
    segmentation: segmentation?.segmentation ?? null,
    novelView: segmentation?.novelView ?? null,
    anticipation: results.anticipation.length === 0 ? null : summarizeAnticipation(seedsOf(results.anticipation.length, seeds), results.anticipation),
    ablation:
      results.ablation.length === 0
        ? null
        : summarizeAblation(seedsOf(results.ablation.length, seeds), results.ablation, { notes: ablationNotes(input), head: firstHead }),
    timings: input.timings,
    wallSeconds: input.wallSeconds,
  };
}
