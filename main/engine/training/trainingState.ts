// What a pre-training step trains: the shared encoder H, the loss's learnable logit scale s (t = exp(s)) and, for
// the SigLIP variant of step 2, its learnable bias b, all under one optimizer (Adam for step 1, AdamW for step 2,
// as the config says). The loss scalars are named `logit_scale` and `logit_bias` as in open_clip, the names the
// weight files and the weight-decay rule (optim/weightDecay.ts) use for them.
import * as tf from '@tensorflow/tfjs';
import { initialLogitScale, type EvgapConfig, type Step1Config, type Step2Config } from '../config';
import { createEncoder, type Encoder } from '../encoder/encoder';
import { AdamW } from '../optim/adamw';

export type PretrainStep = 1 | 2;

export type TrainingState = {
  readonly step: PretrainStep;
  readonly config: EvgapConfig;
  readonly encoder: Encoder;
  /** s, a scalar; the loss uses t = exp(s). */
  readonly logitScale: tf.Variable;
  /** b of the step-2 SigLIP variant, a scalar; null for step 1 and for the published loss without bias. */
  readonly logitBias: tf.Variable | null;
  /** Everything the optimizer updates, by PyTorch name: the encoder's parameters, logit_scale and logit_bias. */
  readonly params: Map<string, tf.Variable>;
  readonly optimizer: AdamW;
  /** Optimizer updates applied so far (the step number of the latest metrics and checkpoint). */
  updates: number;
};

export const logitScaleName = 'logit_scale';
export const logitBiasName = 'logit_bias';

/** The section of the config that drives this step. */
export function stepSettings(config: EvgapConfig, step: PretrainStep): Step1Config | Step2Config {
  return step === 1 ? config.step1 : config.step2;
}

/** The catalog's run kind of each step. */
export function runKind(step: PretrainStep): 'pretrain-step1' | 'pretrain-step2' {
  return step === 1 ? 'pretrain-step1' : 'pretrain-step2';
}

/** A fresh state: encoder weights seeded by config.seed, s and b at their configured initial values. */
export function createTrainingState(config: EvgapConfig, step: PretrainStep): TrainingState {
  const settings = stepSettings(config, step);
  const encoder = createEncoder(config.encoder, config.seed);
  const logitScale = tf.tidy(() => tf.variable(tf.scalar(initialLogitScale(settings)), true));
  const logitBias =
    step === 2 && config.step2.bias === 'learnable' ? tf.tidy(() => tf.variable(tf.scalar(config.step2.biasInit), true)) : null;
  const params = new Map(encoder.params);
  params.set(logitScaleName, logitScale);
  if (logitBias !== null) params.set(logitBiasName, logitBias);
  const optimizer = new AdamW(params, {
    lr: settings.lr,
    beta1: settings.beta1,
    beta2: settings.beta2,
    epsilon: settings.epsilon,
    weightDecay: settings.optimizer === 'adamw' ? settings.weightDecay : 0,
  });
  return { step, config, encoder, logitScale, logitBias, params, optimizer, updates: 0 };
}

/** Current s and b as numbers (b undefined without a bias), for metrics and weight files. */
export function lossScalars(state: TrainingState): { logitScale: number; logitBias?: number } {
  const logitScale = state.logitScale.dataSync()[0] as number;
  if (state.logitBias === null) return { logitScale };
  return { logitScale, logitBias: state.logitBias.dataSync()[0] as number };
}

/** Sets s (and b, when the state has one) from stored values. */
export function setLossScalars(state: TrainingState, values: { logitScale?: number; logitBias?: number }): void {
  const { logitScale, logitBias } = values;
  tf.tidy(() => {
    if (logitScale !== undefined) state.logitScale.assign(tf.scalar(logitScale));
    if (state.logitBias !== null && logitBias !== undefined) state.logitBias.assign(tf.scalar(logitBias));
  });
}

/** Frees every tensor of the state: encoder, loss scalars and optimizer moments. */
export function disposeTrainingState(state: TrainingState): void {
  state.optimizer.dispose();
  state.encoder.dispose();
  state.logitScale.dispose();
  state.logitBias?.dispose();
}
