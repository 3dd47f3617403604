// Pipeline stages on temporal action segmentation (docs/method.md, "Evaluation"), all with the same head
// settings and seed so that compared rows differ only in their input:
// - novel view (Tables 4/5): for each held-out view, heads trained on the train scenes' other views and tested
//   on the held-out view of the test scenes, Base vs +EVGAP and Δ;
// - single- vs two-view: heads trained and tested on single views, and on ego-exo view pairs joined per frame;
// - ablation (Table 1): Base / +random / +step1 / +step2 / +step1+step2 on single- and two-view inputs (Base and
//   +step1+step2 are the single/two-view rows above, not trained twice).
import type { Encoder } from '../engine/encoder/encoder';
import { prepareFrameInput, type PreparedFrameInput } from '../eval/frameFeatures/frameFeatureInputs';
import { resolveFrameFeatureSettings } from '../eval/frameFeatures/settings';
import { difference, scoresOf, type AblationRow, type NovelViewRow, type SegmentationRow, type SegmentationVariant } from '../report/reportData';
import type { EvaluationData } from './evaluationData';
import { buildEncoder, type EncoderWeights } from './pipelineEncoders';
import { allVideos, coveringPairs, rotatingVideos, scoreHead, type HeadScore, type VideoSpec } from './segmentationHeads';
import type { PipelineSettings } from './settings';

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

/** Trains and scores one head of `variant` on `protocol`. */
export function runVariant(context: HeadContext, variant: SegmentationVariant, protocol: Protocol): HeadScore {
  const { data, settings, encoders, seed } = context;
  const frameSettings = resolveFrameFeatureSettings(settings.frameFeatures);
  const weights = variant === 'step1' ? encoders.step1 : variant === 'step2' ? encoders.step2FromRandom : encoders.step2;
  if (weights === undefined) throw new Error(`segmentation variant '${variant}' needs the step-2-from-random encoder, which was not trained`);
  let encoder: Encoder | undefined;
  let input: PreparedFrameInput | undefined;
  try {
    const common = { views: protocol.views, rawDim: data.featureDim, settings: frameSettings };
    if (variant === 'base') input = prepareFrameInput({ input: 'base', ...common });
    else if (variant === 'random') input = prepareFrameInput({ input: 'random', ...common, randomConfig: weights.config, seed });
    else {
      encoder = buildEncoder(weights);
      input = prepareFrameInput({ input: settings.encoderMode, ...common, encoder });
    }
    return scoreHead({ data, input, train: protocol.train, test: protocol.test, settings, seed });
  } finally {
    input?.dispose();
    encoder?.dispose();
  }
}

export type SegmentationComparison = {
  singleView: SegmentationRow[];
  twoView: SegmentationRow[];
  novelView: NovelViewRow[];
  notes: string[];
};

/** Novel-view rows, then single- and two-view Base vs +EVGAP. */
export async function segmentationStage(context: HeadContext, heldOutViews: readonly string[]): Promise<SegmentationComparison> {
  const { data, settings } = context;
  const perScene = settings.trainViewsPerScene;
  const single = singleViewProtocol(data, perScene);
  const two = twoViewProtocol(data, perScene);
  const total = heldOutViews.length * 2 + 4;
  let done = 0;
  const run = async (variant: SegmentationVariant, protocol: Protocol, what: string) => {
    await context.between(done, total, `${what}: ${variantLabels[variant]}`);
    const score = runVariant(context, variant, protocol);
    done++;
    return score;
  };
  const novelView: NovelViewRow[] = [];
  for (const view of heldOutViews) {
    const protocol = novelViewProtocol(data, view, perScene);
    const base = scoresOf(await run('base', protocol, `novel view ${view}`));
    const evgap = scoresOf(await run('step1+step2', protocol, `novel view ${view}`));
    novelView.push({ view, role: data.views.ego.includes(view) ? 'ego' : 'exo', base, evgap, delta: difference(base, evgap) });
  }
  const row = (variant: SegmentationVariant, score: HeadScore): SegmentationRow => ({ variant, label: variantLabels[variant], scores: scoresOf(score) });
  const singleView = [row('base', await run('base', single, 'single-view')), row('step1+step2', await run('step1+step2', single, 'single-view'))];
  const twoView = [row('base', await run('base', two, 'two-view')), row('step1+step2', await run('step1+step2', two, 'two-view'))];
  const notes = [
    `single-view: ${single.train.length} training videos (${perScene} view(s) per train scene, rotating), ${single.test.length} test videos (every view of the test scenes)`,
    `two-view: ${two.train.length} training videos of ego-exo view pairs, ${two.test.length} test videos`,
    `novel view: per held-out view, ${perScene} other view(s) per train scene for training, the held-out view of each test scene for testing`,
  ];
  return { singleView, twoView, novelView, notes };
}

/** Table 1: adds +random, +step1 and +step2 to the Base and +step1+step2 rows already computed. */
export async function ablationStage(context: HeadContext, comparison: SegmentationComparison): Promise<AblationRow[]> {
  const { data, settings } = context;
  const single = singleViewProtocol(data, settings.trainViewsPerScene);
  const two = twoViewProtocol(data, settings.trainViewsPerScene);
  const extra: SegmentationVariant[] = ['random', 'step1', 'step2'];
  const rows = new Map<SegmentationVariant, AblationRow>();
  const known = (variant: SegmentationVariant) => ({
    singleView: comparison.singleView.find((r) => r.variant === variant)!.scores,
    twoView: comparison.twoView.find((r) => r.variant === variant)!.scores,
  });
  rows.set('base', { variant: 'base', label: variantLabels.base, ...known('base') });
  let done = 0;
  for (const variant of extra) {
    await context.between(done++, extra.length * 2, `single-view: ${variantLabels[variant]}`);
    const singleView = scoresOf(runVariant(context, variant, single));
    await context.between(done++, extra.length * 2, `two-view: ${variantLabels[variant]}`);
    const twoView = scoresOf(runVariant(context, variant, two));
    rows.set(variant, { variant, label: variantLabels[variant], singleView, twoView });
  }
  rows.set('step1+step2', { variant: 'step1+step2', label: variantLabels['step1+step2'], ...known('step1+step2') });
  return (['base', 'random', 'step1', 'step2', 'step1+step2'] as const).map((variant) => rows.get(variant)!);
}
