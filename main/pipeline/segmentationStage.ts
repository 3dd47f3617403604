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
import type { Encoder } from '../engine/encoder/encoder';
import { prepareFrameInput, type PreparedFrameInput } from '../eval/frameFeatures/frameFeatureInputs';
import { resolveFrameFeatureSettings } from '../eval/frameFeatures/settings';
import type { SegmentationInput, SegmentationVariant } from '../../contract/report';
import type { EvaluationData } from './evaluationData';
import { buildEncoder, type EncoderWeights } from './pipelineEncoders';
import { allVideos, coveringPairs, rotatingVideos, scoreHead, type HeadScore, type VideoSpec } from './segmentationHeads';
import { scoresOf, type SeedAblationRow, type SeedNovelViewRow, type SeedScores, type SeedSegmentation, type SeedSegmentationBlock, type SeedSegmentationRow } from './seedResults';
import type { EncoderFeatureMode, PipelineSettings } from './settings';

export type StageEncoders = { step1: EncoderWeights; step2: EncoderWeights; step2FromRandom?: EncoderWeights };

/** What a stage needs besides its own arguments: data, settings, and a pause point between heads. */
export type HeadContext = {
  data: EvaluationData;
  settings: PipelineSettings['segmentation'];
  encoders: StageEncoders;
  seed: number;
  /** Awaited before each head: lets control messages in, throws when the pipeline was cancelled. */
  between: (done: number, total: number, what: string) => Promise<void>;
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

/** What a head reads: raw rows, a random encoder trained with the head, or a pre-trained encoder (frozen or fine-tuned). */
type FeatureSource = { kind: 'base' } | { kind: 'random' } | { kind: 'encoder'; weights: EncoderWeights | undefined; mode: EncoderFeatureMode; name: string };

function variantSource(context: HeadContext, variant: SegmentationVariant): FeatureSource {
  const { encoders, settings } = context;
  if (variant === 'base' || variant === 'random') return { kind: variant };
  const weights = variant === 'step1' ? encoders.step1 : variant === 'step2' ? encoders.step2FromRandom : encoders.step2;
  const name = variant === 'step2' ? 'the step-2-from-random encoder' : `the ${variant} encoder`;
  return { kind: 'encoder', weights, mode: settings.encoderMode, name };
}

function inputSource(context: HeadContext, input: SegmentationInput): FeatureSource {
  return input === 'base' ? { kind: 'base' } : { kind: 'encoder', weights: context.encoders.step2, mode: input, name: 'the step-2 encoder' };
}

/** Trains and scores one head of `head`'s kind reading `source` on `protocol`. */
function runHead(context: HeadContext, head: SegmentationHeadName, source: FeatureSource, protocol: Protocol): HeadScore {
  const { data, settings, seed } = context;
  const frameSettings = resolveFrameFeatureSettings(settings.frameFeatures);
  let encoder: Encoder | undefined;
  let input: PreparedFrameInput | undefined;
  try {
    const common = { views: protocol.views, rawDim: data.featureDim, settings: frameSettings };
    if (source.kind === 'base') input = prepareFrameInput({ input: 'base', ...common });
    else if (source.kind === 'random') input = prepareFrameInput({ input: 'random', ...common, randomConfig: context.encoders.step2.config, seed });
    else {
      if (source.weights === undefined) throw new Error(`a segmentation head needs ${source.name}, which was not trained`);
      encoder = buildEncoder(source.weights);
      input = prepareFrameInput({ input: source.mode, ...common, encoder });
    }
    return scoreHead({ head, data, input, train: protocol.train, test: protocol.test, settings, seed });
  } finally {
    input?.dispose();
    encoder?.dispose();
  }
}

/** Trains and scores one head (the first chosen) of an ablation `variant` on `protocol`. */
export function runVariant(context: HeadContext, variant: SegmentationVariant, protocol: Protocol): HeadScore {
  return runHead(context, context.settings.heads[0]!, variantSource(context, variant), protocol);
}

/** Novel-view rows (first head), then every head's single- and two-view Base, +EVGAP* and +EVGAP rows. */
export async function segmentationStage(context: HeadContext, heldOutViews: readonly string[]): Promise<SeedSegmentation> {
  const { data, settings } = context;
  const perScene = settings.trainViewsPerScene;
  const single = singleViewProtocol(data, perScene);
  const two = twoViewProtocol(data, perScene);
  const inputs: SegmentationInput[] = ['base', ...settings.compare];
  const [first] = settings.heads;
  const total = heldOutViews.length * 2 + settings.heads.length * inputs.length * 2;
  let done = 0;
  const run = async (head: SegmentationHeadName, source: FeatureSource, protocol: Protocol, what: string) => {
    await context.between(done, total, `${segmentationHeadLabels[head]}, ${what}`);
    const score = scoresOf(runHead(context, head, source, protocol));
    done++;
    return score;
  };
  const novelView: SeedNovelViewRow[] = [];
  for (const view of heldOutViews) {
    const protocol = novelViewProtocol(data, view, perScene);
    const base = await run(first!, inputSource(context, 'base'), protocol, `novel view ${view}: Base`);
    const evgap = await run(first!, inputSource(context, settings.encoderMode), protocol, `novel view ${view}: ${inputLabels[settings.encoderMode]}`);
    novelView.push({ view, role: data.views.ego.includes(view) ? 'ego' : 'exo', base, evgap });
  }
  const heads: SeedSegmentationBlock[] = [];
  for (const head of settings.heads) {
    const rows = async (protocol: Protocol, what: string): Promise<SeedSegmentationRow[]> => {
      const out: SeedSegmentationRow[] = [];
      for (const input of inputs) out.push({ input, label: inputLabels[input], scores: await run(head, inputSource(context, input), protocol, `${what}: ${inputLabels[input]}`) });
      return out;
    };
    const singleView = await rows(single, 'single-view');
    const twoView = await rows(two, 'two-view');
    heads.push({ head, label: segmentationHeadLabels[head], preset: settings.headPreset, singleView, twoView });
  }
  const notes = [
    `single-view: ${single.train.length} training videos (${perScene} view(s) per train scene, rotating), ${single.test.length} test videos (every view of the test scenes)`,
    `two-view: ${two.train.length} training videos of ego-exo view pairs, ${two.test.length} test videos`,
    `heads: ${settings.heads.map((head) => segmentationHeadLabels[head]).join(', ')} (preset '${settings.headPreset}'); the novel-view and ablation tables use ${segmentationHeadLabels[first!]}`,
    `novel view: per held-out view, ${perScene} other view(s) per train scene for training, the held-out view of each test scene for testing`,
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
  let done = 0;
  for (const variant of missing) {
    await context.between(done++, missing.length * 2, `single-view: ${variantLabels[variant]}`);
    const singleView = scoresOf(runVariant(context, variant, single));
    await context.between(done++, missing.length * 2, `two-view: ${variantLabels[variant]}`);
    const twoView = scoresOf(runVariant(context, variant, two));
    computed.set(variant, { singleView, twoView });
  }
  return variants.map((variant) => ({ variant, label: variantLabels[variant], ...computed.get(variant)! }));
}
