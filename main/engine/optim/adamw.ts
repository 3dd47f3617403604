// Adam (step 1) and AdamW (step 2) over named tf.Variables: bias-corrected moments exactly as
// torch.optim.Adam/AdamW compute them, Adam's optional L2 penalty (its weight_decay, which the segmentation
// heads' authors use), and decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight
// Decay Regularization", 2019) for AdamW — TF.js has no AdamW. The decay shrinks θ by lr·wd·θ using θ before the
// step, as PyTorch's AdamW does; applying it to θ after the Adam update instead differs by lr²·wd·update, far
// below float32 noise at these learning rates. Which parameters decay: see weightDecay.ts. The state (moments
// and per-parameter step counts) exports to plain Float32Arrays for checkpoints and imports back exactly. Each
// step's updates are one fused op (fusedOps/adamUpdate.ts: one pass per parameter, all in one kernel call where the
// backend has the kernel).

import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { adamUpdateMany, type AdamOperands } from '../fusedOps/adamUpdate';
import { isDecayed } from './weightDecay';

export type AdamWOptions = {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay; 0 makes this plain Adam. */
  weightDecay: number;
  /** Which parameters the decay applies to; by default weight matrices only (see weightDecay.ts). */
  decays?: (name: string) => boolean;
  /** L2 penalty added to every parameter's gradient before the moments (torch.optim.Adam's weight_decay); 0: none. */
  l2?: number;
};

/** A checkpointable copy of the optimizer state: per parameter, its step count and both moments. */
export type AdamWState = {
  parameters: Record<string, { step: number; firstMoment: Float32Array; secondMoment: Float32Array }>;
};

export type StepResult = {
  /** √(Σ‖g‖²) over all gradients of this step, before the update. */
  gradNorm: number;
  /** ‖θ‖² of every updated parameter after the update, by name. */
  parameterSquares: Map<string, number>;
};

type Slot = { step: number; firstMoment: tf.Variable; secondMoment: tf.Variable };

export class AdamW {
  readonly #params: Map<string, tf.Variable>;
  readonly #options: Required<AdamWOptions>;
  readonly #slots = new Map<string, Slot>();

  constructor(params: Map<string, tf.Variable>, options: AdamWOptions) {
    checkPositive('lr', options.lr);
    if (!(options.beta1 >= 0 && options.beta1 < 1)) throw new ArgumentError(`expected 0 <= beta1 < 1, got ${options.beta1}`);
    if (!(options.beta2 >= 0 && options.beta2 < 1)) throw new ArgumentError(`expected 0 <= beta2 < 1, got ${options.beta2}`);
    checkPositive('epsilon', options.epsilon);
    if (!(options.weightDecay >= 0)) throw new ArgumentError(`expected weightDecay >= 0, got ${options.weightDecay}`);
    if (!((options.l2 ?? 0) >= 0)) throw new ArgumentError(`expected l2 >= 0, got ${options.l2}`);
    this.#params = params;
    this.#options = { decays: isDecayed, l2: 0, ...options };
  }

  get learningRate(): number {
    return this.#options.lr;
  }

  /** Changes the learning rate for the following steps (for schedules). */
  set learningRate(lr: number) {
    checkPositive('lr', lr);
    this.#options.lr = lr;
  }

  /**
   * Applies one update from gradients keyed by parameter name. A parameter without a gradient is left alone
   * and its step count is not advanced (like PyTorch's param.grad is None). The caller disposes the gradients.
   */
  step(grads: Map<string, tf.Tensor>): StepResult {
    for (const [name, grad] of grads) {
      const param = this.#params.get(name);
      if (param === undefined) throw new ArgumentError(`gradient for unknown parameter ${name}`);
      if (!shapesEqual(grad.shape, param.shape)) {
        throw new ArgumentError(`${name}: expected gradient of shape [${param.shape}], got [${grad.shape}]`);
      }
    }
    const { lr, beta1, beta2, epsilon, weightDecay, decays, l2 } = this.#options;
    const names = [...grads.keys()];
    // Coupled L2 (PyTorch Adam's weight_decay): added to the gradient before the moments.
    const penalized = l2 > 0 ? names.map((name) => tf.tidy(() => tf.add(grads.get(name)!, tf.mul(this.#params.get(name)!, l2)))) : [];
    try {
      const operands: AdamOperands[] = names.map((name, i) => {
        const param = this.#params.get(name) as tf.Variable;
        const slot = this.#slot(name, param);
        slot.step += 1;
        return {
          param,
          grad: l2 > 0 ? penalized[i]! : grads.get(name)!,
          firstMoment: slot.firstMoment,
          secondMoment: slot.secondMoment,
          attrs: {
            beta1,
            beta2,
            epsilon,
            stepSize: lr / (1 - Math.pow(beta1, slot.step)),
            secondCorrection: Math.sqrt(1 - Math.pow(beta2, slot.step)),
            decayFactor: weightDecay > 0 && decays(name) ? 1 - lr * weightDecay : 1,
          },
        };
      });
      // Every parameter in one fused call where the backend has it (fusedOps/adamUpdate.ts).
      const { updates, squares } = adamUpdateMany(operands);
      names.forEach((name, i) => {
        const slot = this.#slots.get(name) as Slot;
        const update = updates[i]!;
        slot.firstMoment.assign(update.firstMoment);
        slot.secondMoment.assign(update.secondMoment);
        (this.#params.get(name) as tf.Variable).assign(update.param);
        tf.dispose([update.param, update.firstMoment, update.secondMoment]); // the variables hold their own references
      });
      // [parameters, 2]: Σg² and Σθ'² of each; with L2 the reported gradient norm is the loss's gradient's, without the L2 term.
      const values = Float32Array.from(squares.dataSync());
      squares.dispose();
      if (l2 > 0 && names.length > 0) {
        const raw = tf.tidy(() => tf.stack(names.map((name) => tf.sum(tf.square(grads.get(name)!)))));
        raw.dataSync().forEach((value, i) => (values[2 * i] = value));
        raw.dispose();
      }
      let gradSquares = 0;
      const parameterSquares = new Map<string, number>();
      names.forEach((name, i) => {
        gradSquares += values[2 * i] as number;
        parameterSquares.set(name, values[2 * i + 1] as number);
      });
      return { gradNorm: Math.sqrt(gradSquares), parameterSquares };
    } finally {
      tf.dispose(penalized);
    }
  }

  /** A copy of the state as plain arrays (for checkpoints). */
  exportState(): AdamWState {
    const parameters: AdamWState['parameters'] = {};
    for (const [name, slot] of this.#slots) {
      parameters[name] = {
        step: slot.step,
        firstMoment: Float32Array.from(slot.firstMoment.dataSync()),
        secondMoment: Float32Array.from(slot.secondMoment.dataSync()),
      };
    }
    return { parameters };
  }

  /** Replaces the state with an exported one; checks every name and size before changing anything. */
  importState(state: AdamWState): void {
    for (const [name, entry] of Object.entries(state.parameters)) {
      const param = this.#params.get(name);
      if (param === undefined) throw new ArgumentError(`optimizer state names unknown parameter ${name}`);
      if (!Number.isInteger(entry.step) || entry.step < 1) {
        throw new ArgumentError(`${name}: expected optimizer step >= 1, got ${entry.step}`);
      }
      for (const [label, moment] of [['firstMoment', entry.firstMoment], ['secondMoment', entry.secondMoment]] as const) {
        if (!(moment instanceof Float32Array) || moment.length !== param.size) {
          throw new ArgumentError(`${name}.${label}: expected ${param.size} float32 values, got ${describeArray(moment)}`);
        }
      }
    }
    this.dispose();
    for (const [name, entry] of Object.entries(state.parameters)) {
      const param = this.#params.get(name) as tf.Variable;
      this.#slots.set(name, {
        step: entry.step,
        firstMoment: tf.tidy(() => tf.variable(tf.tensor(entry.firstMoment, param.shape), false)),
        secondMoment: tf.tidy(() => tf.variable(tf.tensor(entry.secondMoment, param.shape), false)),
      });
    }
  }

  /** Frees the moment tensors (the parameters belong to the caller). */
  dispose(): void {
    for (const slot of this.#slots.values()) tf.dispose([slot.firstMoment, slot.secondMoment]);
    this.#slots.clear();
  }

  #slot(name: string, param: tf.Variable): Slot {
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = {
        step: 0,
        firstMoment: tf.tidy(() => tf.variable(tf.zerosLike(param), false)),
        secondMoment: tf.tidy(() => tf.variable(tf.zerosLike(param), false)),
      };
      this.#slots.set(name, slot);
    }
    return slot;
  }
}

/** The loss and its gradients by parameter name; the caller disposes both. */
export function computeGradients(
  params: Map<string, tf.Variable>,
  loss: () => tf.Scalar,
): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const result = tf.variableGrads(loss, [...params.values()]);
  const grads = new Map<string, tf.Tensor>();
  for (const [name, variable] of params) {
    const grad = result.grads[variable.name];
    if (grad !== undefined) grads.set(name, grad);
  }
  return { loss: result.value, grads };
}

function checkPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new ArgumentError(`expected ${name} > 0, got ${value}`);
}

function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function describeArray(value: unknown): string {
  if (value instanceof Float32Array) return `${value.length}`;
  return value === null || value === undefined ? String(value) : (value as object).constructor.name;
}
