// Pipeline stage: action anticipation (docs/method.md, "Evaluation") with the TempAgg head on Ego, Exo and
// Ego+Exo inputs, Base (raw features) vs +EVGAP (the step-2 encoder's frozen per-frame features: the anticipation
// head consumes fixed snippets), class-mean Top-5 recall of verb, object and action, and Δ.
import { resolveAnticipationConfig, type AnticipationConfig } from '../eval/anticipation/config';
import type { AnticipationInput } from '../eval/anticipation/samples';
import { anticipationResult, type AnticipationHeadJob } from './headJob';
import type { SeedAnticipation } from './seedResults';
import type { HeadContext } from './segmentationStage';
import type { PipelineSettings } from './settings';

const inputs: readonly AnticipationInput[] = ['ego', 'exo', 'ego+exo'];

export async function anticipationStage(
  context: HeadContext,
  settings: PipelineSettings['anticipation'],
): Promise<SeedAnticipation> {
  const { data, seed } = context;
  const config = resolveAnticipationConfig({ fps: data.fps, ...settings });
  const classes = { verb: data.verbs.length, object: data.objects.length, action: data.actions.length };
  const job = (input: AnticipationInput, evgap: boolean): AnticipationHeadJob => ({
    kind: 'anticipation',
    label: `${input}: ${evgap ? '+EVGAP' : 'Base'}`,
    // Measured on the demo: raw rows cost about 1.3× the encoder's features, Ego+Exo about 1.2× one side.
    cost: (evgap ? 1 : 1.3) * (input === 'ego+exo' ? 1.2 : 1),
    input,
    encoder: evgap ? context.encoders.step2 : undefined,
    frameFeatures: context.settings.frameFeatures,
    settings,
    seed,
  });
  const results = (await context.runner.run(inputs.flatMap((input) => [job(input, false), job(input, true)]), context.between)).map(anticipationResult);
  const rows: SeedAnticipation['rows'] = inputs.map((input, i) => ({ input, base: results[2 * i]!.numbers, evgap: results[2 * i + 1]!.numbers }));
  const last = results.at(-1)!;
  const notes = [
    `${last.trainSamples} training and ${last.testSamples} test samples (one per segment, observed input ending ${config.anticipationSeconds} s before it starts; ` +
      `segments with less than ${config.minObservedSeconds} s observed left out, as TempAgg does)`,
    headNote(config),
    `classes: ${classes.verb} verbs, ${classes.object} objects, ${classes.action} actions; Top-5 recall of a head with 5 or fewer classes is 100 by construction`,
    'Ego / Exo: the mean of the ego / exo views per frame; Ego+Exo: both means concatenated; +EVGAP: frozen step-2 encoder features',
    context.runner.description,
  ];
  return { rows, notes };
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
