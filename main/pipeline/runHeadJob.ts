// Runs one head job (main/pipeline/headJob.ts) against the evaluation data of the thread it runs on: builds the
// head's input (raw features, a seeded random encoder, or a fresh encoder from the job's weights, disposed after),
// trains the head and returns its numbers. The same function serves the in-process runner and the head pool's
// worker threads, so a job gives the same numbers wherever it runs.
import type { Encoder } from '../engine/encoder/encoder';
import type { AnticipationConfig } from '../eval/anticipation/config';
import { resolveAnticipationConfig } from '../eval/anticipation/config';
import type { AnticipationInput, AnticipationSample, LabelledSegment } from '../eval/anticipation/samples';
import { sceneAnticipationSamples } from '../eval/anticipation/sceneSamples';
import { trainAnticipation } from '../eval/anticipation/trainAnticipation';
import { prepareFrameInput, type PreparedFrameInput } from '../eval/frameFeatures/frameFeatureInputs';
import { resolveFrameFeatureSettings } from '../eval/frameFeatures/settings';
import type { EvaluationData, EvaluationScene } from './evaluationData';
import { resolveVideos, type AnticipationHeadJob, type AnticipationHeadResult, type HeadJob, type HeadJobResult, type SegmentationHeadJob } from './headJob';
import { buildEncoder } from './pipelineEncoders';
import { scoreHead, type HeadScore } from './segmentationHeads';
import { finiteOrNull } from './seedResults';

export function runHeadJob(data: EvaluationData, job: HeadJob): HeadJobResult {
  return job.kind === 'segmentation' ? { kind: 'segmentation', score: runSegmentationJob(data, job) } : { kind: 'anticipation', ...runAnticipationJob(data, job) };
}

function runSegmentationJob(data: EvaluationData, job: SegmentationHeadJob): HeadScore {
  const { source, protocol, settings, seed } = job;
  const frameSettings = resolveFrameFeatureSettings(settings.frameFeatures);
  let encoder: Encoder | undefined;
  let input: PreparedFrameInput | undefined;
  try {
    const common = { views: protocol.views, rawDim: data.featureDim, settings: frameSettings };
    if (source.kind === 'base') input = prepareFrameInput({ input: 'base', ...common });
    else if (source.kind === 'random') input = prepareFrameInput({ input: 'random', ...common, randomConfig: source.config, seed });
    else {
      if (source.weights === undefined) throw new Error(`a segmentation head needs ${source.name}, which was not trained`);
      encoder = buildEncoder(source.weights);
      input = prepareFrameInput({ input: source.mode, ...common, encoder });
    }
    return scoreHead({
      head: job.head,
      data,
      input,
      train: resolveVideos(data, protocol.train),
      test: resolveVideos(data, protocol.test),
      settings,
      seed,
    });
  } finally {
    input?.dispose();
    encoder?.dispose();
  }
}

function runAnticipationJob(data: EvaluationData, job: AnticipationHeadJob): AnticipationHeadResult {
  const config = resolveAnticipationConfig({ fps: data.fps, ...job.settings });
  const frameSettings = resolveFrameFeatureSettings(job.frameFeatures);
  const encoder = job.encoder && buildEncoder(job.encoder);
  const common = { views: 1, rawDim: data.featureDim, settings: frameSettings };
  const features = encoder ? prepareFrameInput({ input: 'evgap-frozen', ...common, encoder }) : prepareFrameInput({ input: 'base', ...common });
  try {
    const classes = { verb: data.verbs.length, object: data.objects.length, action: data.actions.length };
    const train = samples(data, data.train, job.input, features, config);
    const test = samples(data, data.test, job.input, features, config);
    const result = trainAnticipation({ train, test, classes, config, seed: job.seed });
    return {
      numbers: { verb: finiteOrNull(result.verb.recall), object: finiteOrNull(result.object.recall), action: finiteOrNull(result.action.recall), avg: finiteOrNull(result.avg) },
      trainSamples: train.length,
      testSamples: test.length,
    };
  } finally {
    features.dispose();
    encoder?.dispose();
  }
}

/** One anticipation sample per labelled segment of the scenes (verb, object and action all known). */
function samples(
  data: EvaluationData,
  scenes: readonly EvaluationScene[],
  input: AnticipationInput,
  features: PreparedFrameInput,
  config: AnticipationConfig,
): AnticipationSample[] {
  const index = (list: readonly string[]) => new Map(list.map((name, i) => [name, i]));
  const verbs = index(data.verbs);
  const objects = index(data.objects);
  const actions = index(data.actions);
  return scenes.flatMap((scene) => {
    const segments: LabelledSegment[] = scene.segments.flatMap((segment) => {
      const verb = segment.verb === null ? undefined : verbs.get(segment.verb);
      const object = segment.object === null ? undefined : objects.get(segment.object);
      const action = actions.get(segment.label);
      return verb === undefined || object === undefined || action === undefined ? [] : [{ startFrame: segment.startFrame, verb, object, action }];
    });
    return sceneAnticipationSamples(data.store, scene.source, input, segments, features, config);
  });
}
