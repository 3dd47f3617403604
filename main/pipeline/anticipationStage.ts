// Pipeline stage: action anticipation (docs/method.md, "Evaluation") with the TempAgg head on Ego, Exo and
// Ego+Exo inputs, Base (raw features) vs +EVGAP (the step-2 encoder's frozen per-frame features: the anticipation
// head consumes fixed snippets), class-mean Top-5 recall of verb, object and action, and Δ.
import { resolveAnticipationConfig, type AnticipationConfig } from '../eval/anticipation/config';
import type { AnticipationInput, AnticipationSample, LabelledSegment } from '../eval/anticipation/samples';
import { sceneAnticipationSamples } from '../eval/anticipation/sceneSamples';
import { trainAnticipation, type AnticipationResult } from '../eval/anticipation/trainAnticipation';
import { prepareFrameInput, type PreparedFrameInput } from '../eval/frameFeatures/frameFeatureInputs';
import { resolveFrameFeatureSettings } from '../eval/frameFeatures/settings';
import { finiteOrNull, type SeedAnticipation, type SeedAnticipationNumbers } from './seedResults';
import type { EvaluationData, EvaluationScene } from './evaluationData';
import { buildEncoder } from './pipelineEncoders';
import type { HeadContext } from './segmentationStage';
import type { PipelineSettings } from './settings';

const inputs: readonly AnticipationInput[] = ['ego', 'exo', 'ego+exo'];

export async function anticipationStage(
  context: HeadContext,
  settings: PipelineSettings['anticipation'],
): Promise<SeedAnticipation> {
  const { data, seed } = context;
  const config = resolveAnticipationConfig({ fps: data.fps, ...settings });
  const frameSettings = resolveFrameFeatureSettings(context.settings.frameFeatures);
  const encoder = buildEncoder(context.encoders.step2);
  const base = prepareFrameInput({ input: 'base', views: 1, rawDim: data.featureDim, settings: frameSettings });
  const evgap = prepareFrameInput({ input: 'evgap-frozen', views: 1, rawDim: data.featureDim, settings: frameSettings, encoder });
  const classes = { verb: data.verbs.length, object: data.objects.length, action: data.actions.length };
  try {
    const rows: SeedAnticipation['rows'] = [];
    let done = 0;
    let counts = { train: 0, test: 0 };
    for (const input of inputs) {
      const score = async (features: PreparedFrameInput, what: string) => {
        await context.between(done++, inputs.length * 2, `${input}: ${what}`);
        const train = samples(data, data.train, input, features, config);
        const test = samples(data, data.test, input, features, config);
        counts = { train: train.length, test: test.length };
        return numbers(trainAnticipation({ train, test, classes, config, seed }));
      };
      const baseNumbers = await score(base, 'Base');
      const evgapNumbers = await score(evgap, '+EVGAP');
      rows.push({ input, base: baseNumbers, evgap: evgapNumbers });
    }
    const notes = [
      `${counts.train} training and ${counts.test} test samples (one per segment, observed input ending ${config.anticipationSeconds} s before it starts; ` +
        `segments with less than ${config.minObservedSeconds} s observed left out, as TempAgg does)`,
      headNote(config),
      `classes: ${classes.verb} verbs, ${classes.object} objects, ${classes.action} actions; Top-5 recall of a head with 5 or fewer classes is 100 by construction`,
      'Ego / Exo: the mean of the ego / exo views per frame; Ego+Exo: both means concatenated; +EVGAP: frozen step-2 encoder features',
    ];
    return { rows, notes };
  } finally {
    base.dispose();
    evgap.dispose();
    encoder.dispose();
  }
}

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

/** The head's preset and shape in one line. */
function headNote(config: AnticipationConfig): string {
  const projection = config.inputProjection > 0 ? `input projected to ${config.inputProjection}, ` : '';
  return (
    `TempAgg head, preset ${config.preset}: recent windows ${config.recentSeconds.join(', ')} s × ${config.recentSnippets} snippets, ` +
    `spanning ${config.spanningSeconds} s at granularities ${config.spanningGranularities.join(', ')} (max-pooled), ${projection}` +
    `latent ${config.latentDim}, linear ${config.linearDim}, ${config.pastAttention ? 'past attention, ' : ''}` +
    `${config.epochs} epochs of Adam (lr ${config.lr}, ×${config.lrGamma} every ${config.lrStepEpochs} epochs)`
  );
}

function numbers(result: AnticipationResult): SeedAnticipationNumbers {
  return {
    verb: finiteOrNull(result.verb.recall),
    object: finiteOrNull(result.object.recall),
    action: finiteOrNull(result.action.recall),
    avg: finiteOrNull(result.avg),
  };
}
