// Pipeline stages on temporal action segmentation (docs/method.md, "Evaluation"), every head of one kind with the
// same settings and seed so that compared rows differ only in their input:
// - segmentation (Table 2): for each chosen head (C2F-TCN, ASFormer, LTContext), heads trained and tested on
//   single views and on ego-exo view pairs joined per frame, with Base, +EVGAP* (frozen encoder) and +EVGAP
//   (encoder fine-tuned with the head) inputs;
// - novel view (Tables 4/5), with the first head: for each held-out view, heads trained on the train scenes' other
//   views and tested on the held-out view of the test scenes, Base vs +EVGAP and Δ;
// - ablation (Table 1), with the first head: Base / +random / +step1 / +step2 / +step1+step2 on single- and two-view
//   inputs (Base and +step1+step2 are the segmentation table's rows, not trained twice).
import { segmentationHeadLabels, type SegmentationHeadName } from '../../contract/api';
import type { SegmentationInput, SegmentationVariant } from '../../contract/report';
import type { EvaluationData } from './evaluationData';
import { segmentationScore, videoRefs, type HeadFeatureSource, type SegmentationHeadJob } from './headJob';
import type { BetweenHeads, HeadRunner } from './headRunner';
import type { EncoderWeights } from './pipelineEncoders';
import { allVideos, coveringPairs, rotatingVideos, type VideoSpec } from './segmentationHeads';
import { scoresOf, type SeedAblationRow, type SeedNovelViewRow, type SeedScores, type SeedSegmentation, type SeedSegmentationBlock, type SeedSegmentationRow } from './seedResults';
import type { PipelineSettings } from './settings';

export type StageEncoders = { step1: EncoderWeights; step2: EncoderWeights; step2FromRandom?: EncoderWeights };

/** What a stage needs besides its own arguments: data, settings, what runs the heads, and a pause point between heads. */
export type HeadContext = {
  data: EvaluationData;
  settings: PipelineSettings['segmentation'];
  encoders: StageEncoders;
  seed: number;
  /** Runs the stage's head jobs (in this thread, or several at once on worker threads), results in the jobs' order. */
  runner: HeadRunner;
  /** Awaited before each head: lets control messages in, throws when the pipeline was cancelled. */
  between: BetweenHeads;
};

export const variantLabels: Record<SegmentationVariant, string> = {
  base: 'Base (raw features)',
  random: '+random',
  step1: '+step1',
  step2: '+step2',
  'step1+step2': '+step1+step2 (EVGAP)',
};

export const inputLabels: Record<SegmentationInput, string> = {
  base: 'Base (raw features)',
  'evgap-frozen': '+EVGAP* (frozen encoder)',
  evgap: '+EVGAP (fine-tuned encoder)',
};

type Protocol = { train: VideoSpec[]; test: VideoSpec[]; views: 1 | 2 };

export function singleViewProtocol(data: EvaluationData, perScene: number): Protocol {
  const all = [...data.views.ego, ...data.views.exo].map((view) => [view]);
  return { train: rotatingVideos(data.train, all, perScene), test: allVideos(data.test, all), views: 1 };
}

export function twoViewProtocol(data: EvaluationData, perScene: number): Protocol {
  const pairs = coveringPairs(data.views.ego, data.views.exo);
  return { train: rotatingVideos(data.train, pairs, perScene), test: allVideos(data.test, pairs), views: 2 };
}

export function novelViewProtocol(data: EvaluationData, heldOut: string, perScene: number): Protocol {
  const others = [...data.views.ego, ...data.views.exo].filter((view) => view !== heldOut).map((view) => [view]);
  return { train: rotatingVideos(data.train, others, perScene), test: allVideos(data.test, [[heldOut]]), views: 1 };
}

function variantSource(context: HeadContext, variant: SegmentationVariant): HeadFeatureSource {
  const { encoders, settings } = context;
  if (variant === 'base') return { kind: 'base' };
  if (variant === 'random') return { kind: 'random', config: encoders.step2.config };
  const weights = variant === 'step1' ? encoders.step1 : variant === 'step2' ? encoders.step2FromRandom : encoders.step2;
  const name = variant === 'step2' ? 'the step-2-from-random encoder' : `the ${variant} encoder`;
  return { kind: 'encoder', weights, mode: settings.encoderMode, name };
}

function inputSource(context: HeadContext, input: SegmentationInput): HeadFeatureSource {
  return input === 'base' ? { kind: 'base' } : { kind: 'encoder', weights: context.encoders.step2, mode: input, name: 'the step-2 encoder' };
}

/**
 * A head's rough cost (measured on the demo: frozen encoder features cost about half of raw 2048-d rows or an
 * encoder trained with the head, two-view about twice single-view), for the order a pool hands jobs out in.
 */
function headCost(source: HeadFeatureSource, protocol: Protocol): number {
  const frozen = source.kind === 'encoder' && source.mode === 'evgap-frozen';
  return protocol.views * (frozen ? 1 : 2);
}

/** The job that trains and scores one head of `head`'s kind reading `source` on `protocol`. */
function headJob(context: HeadContext, head: SegmentationHeadName, source: HeadFeatureSource, protocol: Protocol, what: string): SegmentationHeadJob {
  return {
    kind: 'segmentation',
    label: `${segmentationHeadLabels[head]}, ${what}`,
    cost: headCost(source, protocol),
    head,
    source,
    protocol: { train: videoRefs(protocol.train), test: videoRefs(protocol.test), views: protocol.views },
    settings: context.settings,
    seed: context.seed,
  };
}

/** Novel-view rows (first head), then every head's single- and two-view Base, +EVGAP* and +EVGAP rows. */
export async function segmentationStage(context: HeadContext, heldOutViews: readonly string[]): Promise<SeedSegmentation> {
  const { data, settings } = context;
  const perScene = settings.trainViewsPerScene;
  const single = singleViewProtocol(data, perScene);
  const two = twoViewProtocol(data, perScene);
  const inputs: SegmentationInput[] = ['base', ...settings.compare];
  const [first] = settings.heads;
  const jobs: SegmentationHeadJob[] = [];
  for (const view of heldOutViews) {
    const protocol = novelViewProtocol(data, view, perScene);
    jobs.push(headJob(context, first!, inputSource(context, 'base'), protocol, `novel view ${view}: Base`));
    jobs.push(headJob(context, first!, inputSource(context, settings.encoderMode), protocol, `novel view ${view}: ${inputLabels[settings.encoderMode]}`));
  }
  for (const head of settings.heads) {
    for (const [protocol, what] of [[single, 'single-view'], [two, 'two-view']] as const) {
      for (const input of inputs) jobs.push(headJob(context, head, inputSource(context, input), protocol, `${what}: ${inputLabels[input]}`));
    }
  }
  const results = await context.runner.run(jobs, context.between);
  let next = 0;
  const take = () => scoresOf(segmentationScore(results[next++]));
  const novelView: SeedNovelViewRow[] = heldOutViews.map((view) => {
    const base = take();
    const evgap = take();
    return { view, role: data.views.ego.includes(view) ? 'ego' : 'exo', base, evgap };
  });
  const heads: SeedSegmentationBlock[] = settings.heads.map((head) => {
    const rows = (): SeedSegmentationRow[] => inputs.map((input) => ({ input, label: inputLabels[input], scores: take() }));
    const singleView = rows();
    const twoView = rows();
    return { head, label: segmentationHeadLabels[head], preset: settings.headPreset, singleView, twoView };
  });
  const notes = [
    `single-view: ${single.train.length} training videos (${perScene} view(s) per train scene, rotating), ${single.test.length} test videos (every view of the test scenes)`,
    `two-view: ${two.train.length} training videos of ego-exo view pairs, ${two.test.length} test videos`,
    `heads: ${settings.heads.map((head) => segmentationHeadLabels[head]).join(', ')} (preset '${settings.headPreset}'); the novel-view and ablation tables use ${segmentationHeadLabels[first!]}`,
    `novel view: per held-out view, ${perScene} other view(s) per train scene for training, the held-out view of each test scene for testing`,
    context.runner.description,
  ];
  return { heads, novelView, notes };
}

/**
 * Table 1 (first head): adds +random, +step1 and +step2 to the Base and +step1+step2 rows already computed (+step2
 * only when there is a step-2-from-random encoder: a pipeline evaluating given runs may have none).
 */
export async function ablationStage(context: HeadContext, comparison: SeedSegmentation): Promise<SeedAblationRow[]> {
  const { data, settings } = context;
  const single = singleViewProtocol(data, settings.trainViewsPerScene);
  const two = twoViewProtocol(data, settings.trainViewsPerScene);
  const block = comparison.heads.find((b) => b.head === settings.heads[0]);
  const known = (input: SegmentationInput) => {
    const find = (rows: SeedSegmentationRow[] | undefined): SeedScores | undefined => rows?.find((r) => r.input === input)?.scores;
    const singleView = find(block?.singleView);
    const twoView = find(block?.twoView);
    return singleView && twoView ? { singleView, twoView } : undefined;
  };
  const computed = new Map<SegmentationVariant, { singleView: SeedScores; twoView: SeedScores }>();
  const reused: [SegmentationVariant, SegmentationInput][] = [['base', 'base'], ['step1+step2', settings.encoderMode]];
  for (const [variant, input] of reused) {
    const scores = known(input);
    if (scores) computed.set(variant, scores);
  }
  const variants: SegmentationVariant[] = ['base', 'random', 'step1', ...(context.encoders.step2FromRandom ? (['step2'] as const) : []), 'step1+step2'];
  const missing = variants.filter((variant) => !computed.has(variant));
  const jobs = missing.flatMap((variant) => [
    headJob(context, settings.heads[0]!, variantSource(context, variant), single, `single-view: ${variantLabels[variant]}`),
    headJob(context, settings.heads[0]!, variantSource(context, variant), two, `two-view: ${variantLabels[variant]}`),
  ]);
  const results = await context.runner.run(jobs, context.between);
  missing.forEach((variant, i) => {
    computed.set(variant, { singleView: scoresOf(segmentationScore(results[2 * i])), twoView: scoresOf(segmentationScore(results[2 * i + 1])) });
  });
  return variants.map((variant) => ({ variant, label: variantLabels[variant], ...computed.get(variant)! }));
}
