// TempAgg's anticipation network (Sener, Singhania & Yao, ECCV 2020, §3 and Fig. 2; network.py of
// github.com/dibschat/tempAgg as Assembly101 adapts it, with verb, object and action classifiers):
//   Coupling block CB_j (spanning snippets P_j [B, K_j, F], recent snippets R [B, n, F]):
//     P' = ReLU(NLB_past(P_j, P_j)) (with past attention; P' = P_j without), R' = ReLU(NLB_recent(P', R)),
//     fc_recent(flatten[R'; R]) and fc_context(flatten[P'; R'; R]), each Linear → ReLU → Dropout → Linear.
//   Temporal aggregate block TAB_i (one per recent window i, one CB per spanning granularity j):
//     recent_i = fc_recent_tab([fc_recent of CB_1; …; CB_M]), past_i = elementwise max over j of fc_context.
//   Classifiers cls_act_i, cls_verb_i, cls_object_i: Linear on [recent_i; past_i]; the scores are the sums over i.
// Loss (their training loop): Σ_i CE(act_i) + w_verb · Σ_i CE(verb_i) + w_object · Σ_i CE(object_i), each cross-
// entropy the batch mean. Parameters carry the PyTorch state_dict names and shapes (TAB1.CB1.NLB_past.theta.weight
// …, cls_object1.0.weight: Assembly101's names; the EPIC code's cls_noun is their cls_object), so an authors'
// checkpoint loads by name; initialization as PyTorch's (Linear and the output convolutions U(±1/√fan_in), θ/φ/g
// N(0, 0.01) with zero bias, LayerNorm 1 and 0), drawn from a seeded generator. The optional `project` (a Linear
// of the input features to inputProjection values, the cpu preset) is ours, not the authors'.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../random/seededRandom';
import type { FusedActivation } from '../../engine/fusedOps/kernelNames';
import { linear } from '../../engine/fusedOps/linear';
import { maxAlongAxis } from '../../engine/fusedOps/reduceMax';
import { dropout } from '../segmentationHead/temporalOps';
import type { AnticipationConfig } from './config';
import { nonLocalBlock, type NonLocalSettings } from './nonLocalBlock';

export interface AnticipationClassCounts {
  verb: number;
  object: number;
  action: number;
}

export const anticipationTargets = ['verb', 'object', 'action'] as const;
export type AnticipationTarget = (typeof anticipationTargets)[number];

/** Logits [B, classes] of every classifier, one per recent window (TAB) in the authors' order. */
export type TempAggLogits = Record<AnticipationTarget, tf.Tensor2D[]>;

/** What the network's size depends on. */
export type TempAggNetworkConfig = Pick<
  AnticipationConfig,
  | 'spanningGranularities'
  | 'recentSeconds'
  | 'recentSnippets'
  | 'inputProjection'
  | 'latentDim'
  | 'linearDim'
  | 'dropout'
  | 'pastAttention'
  | 'nonLocalAttention'
  | 'verbLossWeight'
  | 'objectLossWeight'
>;

export interface TempAggHead {
  /** Trainable variables by their PyTorch names. */
  readonly params: Map<string, tf.Variable>;
  /**
   * Logits of every classifier for spanning snippets [B, Σ K, inputDim] (granularity by granularity) and recent
   * snippets [B, windows × n, inputDim] (window by window); `random` turns dropout on (training). The caller owns them.
   */
  forward(spanning: tf.Tensor3D, recent: tf.Tensor3D, random?: SeededRandom): TempAggLogits;
  /** The authors' training loss against one-hot targets [B, classes]. */
  loss(logits: TempAggLogits, targets: Record<AnticipationTarget, tf.Tensor2D>): tf.Scalar;
  /** The evaluation scores: each target's logits summed over the windows. The caller owns them. */
  scores(logits: TempAggLogits): Record<AnticipationTarget, tf.Tensor2D>;
  dispose(): void;
}

/** Classifier name prefixes of the authors' Network, by target. */
const classifierNames: Record<AnticipationTarget, string> = { verb: 'cls_verb', object: 'cls_object', action: 'cls_act' };

export function createTempAggHead(inputDim: number, config: TempAggNetworkConfig, classes: AnticipationClassCounts, seed: number): TempAggHead {
  const counts = [['inputDim', inputDim], ['verb classes', classes.verb], ['object classes', classes.object], ['action classes', classes.action]] as const;
  for (const [name, value] of counts) {
    if (!Number.isInteger(value) || value < 1) throw new ArgumentError(`expected ${name} >= 1, got ${value}`);
  }
  const F = config.inputProjection > 0 ? config.inputProjection : inputDim; // the authors' video_feat_dim
  const L = config.latentDim;
  const D = config.linearDim;
  const n = config.recentSnippets;
  const granularities = config.spanningGranularities;
  const windows = config.recentSeconds.length;
  const spanningCount = granularities.reduce((a, b) => a + b, 0);
  const spanningOffsets = granularities.map((_, j) => granularities.slice(0, j).reduce((a, b) => a + b, 0));

  const random = new SeededRandom(seed);
  const params = new Map<string, tf.Variable>();
  const add = (name: string, shape: number[], values: Float32Array) => params.set(name, tf.tidy(() => tf.variable(tf.tensor(values, shape), true)));
  const linearLayer = (name: string, out: number, fanIn: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    add(`${name}.weight`, [out, fanIn], random.uniformArray(out * fanIn, bound));
    add(`${name}.bias`, [out], random.uniformArray(out, bound));
  };
  const nonLocal = (prefix: string, currSnippets: number, pastSnippets: number) => {
    for (const [name, channels] of [['theta', currSnippets], ['phi', pastSnippets], ['g', pastSnippets]] as const) {
      add(`${prefix}.${name}.weight`, [L, channels, 1], random.normalArray(L * channels, 0.01));
      add(`${prefix}.${name}.bias`, [L], new Float32Array(L));
    }
    add(`${prefix}.final_layers.0.weight`, [L, F], new Float32Array(L * F).fill(1));
    add(`${prefix}.final_layers.0.bias`, [L, F], new Float32Array(L * F));
    const bound = 1 / Math.sqrt(L);
    add(`${prefix}.final_layers.2.weight`, [currSnippets, L, 1], random.uniformArray(currSnippets * L, bound));
    add(`${prefix}.final_layers.2.bias`, [currSnippets], random.uniformArray(currSnippets, bound));
  };
  if (config.inputProjection > 0) linearLayer('project', F, inputDim);
  for (let i = 1; i <= windows; i++) {
    granularities.forEach((K, j) => {
      const cb = `TAB${i}.CB${j + 1}`;
      if (config.pastAttention) nonLocal(`${cb}.NLB_past`, K, K);
      nonLocal(`${cb}.NLB_recent`, n, K);
      linearLayer(`${cb}.fc_recent.0`, D, 2 * n * F);
      linearLayer(`${cb}.fc_recent.3`, D, D);
      linearLayer(`${cb}.fc_context.0`, D, K * F + 2 * n * F);
      linearLayer(`${cb}.fc_context.3`, D, D);
    });
    linearLayer(`TAB${i}.fc_recent_tab.0`, D, granularities.length * D);
  }
  for (let i = 1; i <= windows; i++) {
    for (const target of anticipationTargets) linearLayer(`${classifierNames[target]}${i}.0`, classes[target], 2 * D);
  }

  let disposed = false;
  const get = <T extends tf.Tensor>(name: string): T => {
    if (disposed) throw new Error('the anticipation head was disposed');
    const variable = params.get(name);
    if (variable === undefined) throw new ArgumentError(`the anticipation head has no parameter ${name}`);
    return variable as tf.Tensor as T;
  };
  const dense = (name: string, x: tf.Tensor2D, activation: FusedActivation = 'linear') => linear(x, get(`${name}.weight`), get(`${name}.bias`), { activation });
  const nonLocalSettings: NonLocalSettings = { latentDim: L, attention: config.nonLocalAttention, dropout: config.dropout };

  /** Linear → ReLU → Dropout → Linear (the authors' fc_recent / fc_context Sequential). */
  const mlp = (name: string, x: tf.Tensor2D, pass?: SeededRandom) => {
    const hidden = dense(`${name}.0`, x, 'relu'); // Linear → ReLU, fused
    return dense(`${name}.3`, pass ? dropout(hidden, config.dropout, pass) : hidden);
  };
  /** Feature-major [B, F, S] → the authors' flattened [B, S·F] (snippet by snippet). */
  const flatten = (x: tf.Tensor3D) => tf.reshape(tf.transpose(x, [0, 2, 1]), [x.shape[0], -1]) as tf.Tensor2D;

  /** CouplingBlocks: spanning [B, F, K], recent [B, F, n] (feature-major) → (fc_recent, fc_context) [B, D] each. */
  const couplingBlock = (cb: string, spanning: tf.Tensor3D, recent: tf.Tensor3D, pass?: SeededRandom) => {
    const past = config.pastAttention ? tf.relu(nonLocalBlock(get, `${cb}.NLB_past`, spanning, spanning, nonLocalSettings, pass)) : spanning; // [B, F, K]
    const future = tf.relu(nonLocalBlock(get, `${cb}.NLB_recent`, past, recent, nonLocalSettings, pass)); // [B, F, n]
    const allFuture = tf.concat([future, recent], 2); // [B, F, 2n]
    const allTask = tf.concat([past, allFuture], 2); // [B, F, K + 2n]
    return { recent: mlp(`${cb}.fc_recent`, flatten(allFuture), pass), context: mlp(`${cb}.fc_context`, flatten(allTask), pass) };
  };

  /** TemporalAggregateBlocks i: every granularity's spanning snippets with one window's recent snippets → [B, 2D]. */
  const aggregateBlock = (i: number, spanning: tf.Tensor3D[], recent: tf.Tensor3D, pass?: SeededRandom): tf.Tensor2D => {
    const blocks = spanning.map((span, j) => couplingBlock(`TAB${i}.CB${j + 1}`, span, recent, pass));
    const recentOut = dense(`TAB${i}.fc_recent_tab.0`, tf.concat(blocks.map((b) => b.recent), 1) as tf.Tensor2D); // [B, D]
    const pastOut = maxAlongAxis<tf.Tensor2D>(tf.stack(blocks.map((b) => b.context)), 0); // [B, D]
    return tf.concat([recentOut, pastOut], 1); // [B, 2D]
  };

  return {
    params,
    forward(spanning, recent, pass) {
      const B = spanning.shape[0];
      if (spanning.rank !== 3 || recent.rank !== 3 || recent.shape[0] !== B || spanning.shape[1] !== spanningCount || recent.shape[1] !== windows * n
        || spanning.shape[2] !== inputDim || recent.shape[2] !== inputDim) {
        throw new ArgumentError(
          `expected spanning [B, ${spanningCount}, ${inputDim}] and recent [B, ${windows * n}, ${inputDim}], ` +
            `got [${spanning.shape.join(', ')}] and [${recent.shape.join(', ')}]`,
        );
      }
      return tf.tidy(() => {
        /** [B, N, inputDim] → feature-major [B, F, N], projected first when the config says so. */
        const prepare = (x: tf.Tensor3D) => {
          const [, N, C] = x.shape;
          const projected = config.inputProjection > 0 ? tf.reshape(dense('project', tf.reshape(x, [B * N, C])), [B, N, F]) : x; // [B, N, F]
          return tf.transpose(projected, [0, 2, 1]) as tf.Tensor3D; // [B, F, N]
        };
        const spanningT = prepare(spanning);
        const recentT = prepare(recent);
        const spans = granularities.map((K, j) => tf.slice(spanningT, [0, 0, spanningOffsets[j]!], [B, F, K])); // [B, F, K] each
        const logits: TempAggLogits = { verb: [], object: [], action: [] };
        for (let i = 1; i <= windows; i++) {
          const window = tf.slice(recentT, [0, 0, (i - 1) * n], [B, F, n]); // [B, F, n]
          const features = aggregateBlock(i, spans, window, pass);
          for (const target of anticipationTargets) logits[target].push(dense(`${classifierNames[target]}${i}.0`, features));
        }
        return logits;
      });
    },
    loss(logits, targets) {
      return tf.tidy(() => {
        const crossEntropy = (target: AnticipationTarget) =>
          tf.addN(logits[target].map((l) => tf.neg(tf.mean(tf.sum(tf.mul(targets[target], tf.logSoftmax(l)), 1))))) as tf.Scalar;
        const verb = tf.mul(crossEntropy('verb'), config.verbLossWeight);
        const object = tf.mul(crossEntropy('object'), config.objectLossWeight);
        return tf.addN([crossEntropy('action'), verb, object]) as tf.Scalar;
      });
    },
    scores(logits) {
      return tf.tidy(() => ({
        verb: tf.addN(logits.verb) as tf.Tensor2D,
        object: tf.addN(logits.object) as tf.Tensor2D,
        action: tf.addN(logits.action) as tf.Tensor2D,
      }));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of params.values()) variable.dispose();
    },
  };
}
