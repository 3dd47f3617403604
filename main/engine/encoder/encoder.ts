// The EVGAP encoder H (docs/method.md, "Encoder H"): features [B, T, F] → Linear to D → a learnable class token
// prepended → positional embedding added → L pre-norm Transformer blocks (PyTorch's
// nn.TransformerEncoderLayer with norm_first=True, ReLU, no dropout) → after block l, out_norms.l and the class
// token of its output, L2-normalized, is the layer-l embedding h_l (the last block computes no more than that
// class token where only the embeddings are asked for: see run()). Parameters are tf.Variables named exactly as
// PyTorch's state_dict (see parameters.ts), so weights move between this project and PyTorch unchanged.
// Its Linear layers multiply in the precision they are given (fp32, or bf16 operands with float32 sums where the
// backend's fused Linear supports it); LayerNorm, attention and everything else stay float32.

import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { validateEncoderConfig, type EncoderConfig, type Precision } from '../config';
import { l2Normalize } from '../fusedOps/l2Normalize';
import { layerNorm } from '../fusedOps/layerNorm';
import { linear } from '../fusedOps/linear';
import { encoderParameterShapes, initialParameterValues, sinusoidalPositions } from './parameters';
import { classTokenAttention, feedForward, selfAttention, type AttentionWeights, type FeedForwardWeights } from './ops';

export type EncoderOutput = {
  /** L tensors [B, D], the L2-normalized class-token embeddings h_1 … h_L; the caller disposes them. */
  layers: tf.Tensor2D[];
};

export type EncoderRunOptions = {
  /** Precision of the Linear layers' products (default fp32). */
  precision?: Precision;
};

export type Encoder = {
  readonly config: EncoderConfig;
  /** The trainable parameters by PyTorch name, in state_dict order. */
  readonly params: Map<string, tf.Variable>;
  /** Per-layer embeddings of features x [B, T, F]; the caller owns the results. */
  forward(x: tf.Tensor3D, options?: EncoderRunOptions): EncoderOutput;
  /** The final block's token outputs after out_norms.{L−1}, [B, T+1, D] (row 0 is the class token); caller owns. */
  tokens(x: tf.Tensor3D, options?: EncoderRunOptions): tf.Tensor3D;
  /** Frees the parameters; the encoder cannot be used afterwards. */
  dispose(): void;
};

/** A new encoder with PyTorch-like seeded initial weights (see parameters.ts). */
export function createEncoder(config: EncoderConfig, seed: number): Encoder {
  validateEncoderConfig(config);
  const shapes = encoderParameterShapes(config);
  const initial = initialParameterValues(config, seed);
  const params = new Map<string, tf.Variable>();
  for (const [name, shape] of shapes) {
    const value = tf.tensor(initial.get(name) as Float32Array, shape, 'float32');
    params.set(name, tf.variable(value, true));
    value.dispose(); // the variable holds its own reference to the data
  }
  const fixedPositions =
    config.posEmbed === 'sinusoidal'
      ? tf.tensor2d(sinusoidalPositions(config.tokens + 1, config.modelDim), [config.tokens + 1, config.modelDim])
      : undefined;
  let disposed = false;

  const param = <R extends tf.Rank>(name: string): tf.Tensor<R> => {
    if (disposed) throw new Error('the encoder was disposed');
    return params.get(name) as unknown as tf.Tensor<R>;
  };

  /** out_norms.l of a block's output rows [..., D]. */
  const outNorm = <T extends tf.Tensor>(l: number, output: T): T =>
    layerNorm(output, param(`out_norms.${l}.weight`), param(`out_norms.${l}.bias`), config.layerNormEps);

  const attentionWeights = (p: string): AttentionWeights => ({
    inProjWeight: param(`${p}.self_attn.in_proj_weight`),
    inProjBias: param(`${p}.self_attn.in_proj_bias`),
    outProjWeight: param(`${p}.self_attn.out_proj.weight`),
    outProjBias: param(`${p}.self_attn.out_proj.bias`),
  });
  const feedForwardWeights = (p: string): FeedForwardWeights => ({
    weight1: param(`${p}.linear1.weight`),
    bias1: param(`${p}.linear1.bias`),
    weight2: param(`${p}.linear2.weight`),
    bias2: param(`${p}.linear2.bias`),
  });

  /**
   * Runs the blocks; calls `afterBlock` with each block's output [B, T+1, D] (before out_norms.l). With
   * `lastBlock: 'class token'` the last block computes its class tokens alone ([B, 1, D]): no later block reads its
   * other rows, and forward() only their class tokens. Call inside tidy.
   */
  const run = (
    x: tf.Tensor3D,
    precision: Precision,
    lastBlock: 'every token' | 'class token',
    afterBlock: (l: number, output: tf.Tensor3D) => void,
  ): void => {
    const { inputDim: F, modelDim: D, tokens: T, heads, layerNormEps: eps } = config;
    if (x.rank !== 3 || x.shape[1] !== T || x.shape[2] !== F) {
      throw new ArgumentError(`expected encoder input of shape [B, ${T}, ${F}], got [${x.shape.join(', ')}]`);
    }
    const B = x.shape[0];
    const projected = tf.reshape(
      linear(tf.reshape(x, [B * T, F]), param('input_proj.weight'), param('input_proj.bias'), { precision }),
      [B, T, D],
    ); // [B, T, D]
    const cls = tf.add(tf.zeros([B, 1, D]), tf.reshape(param('cls_token'), [1, 1, D])); // [B, 1, D]
    const positions = fixedPositions ?? param<tf.Rank.R2>('pos_embed'); // [T+1, D]
    let h = tf.add(tf.concat([cls, projected], 1), positions) as tf.Tensor3D; // [B, T+1, D]
    for (let l = 0; l < config.layers; l++) {
      const p = `layers.${l}`;
      const norm = (rows: tf.Tensor, which: 'norm1' | 'norm2') =>
        layerNorm(rows, param(`${p}.${which}.weight`), param(`${p}.${which}.bias`), eps); // rows' shape
      const attnIn = norm(h, 'norm1') as tf.Tensor3D; // [B, T+1, D]
      if (l === config.layers - 1 && lastBlock === 'class token') {
        const attended = classTokenAttention(attnIn, attentionWeights(p), heads, precision); // [B, D]
        const mid = tf.add(tf.reshape(tf.slice(h, [0, 0, 0], [B, 1, D]), [B, D]), attended) as tf.Tensor2D; // [B, D]
        const out = tf.add(mid, feedForward(norm(mid, 'norm2') as tf.Tensor2D, feedForwardWeights(p), precision)); // [B, D]
        afterBlock(l, tf.reshape(out, [B, 1, D]));
        continue;
      }
      h = tf.add(h, selfAttention(attnIn, attentionWeights(p), heads, precision)); // [B, T+1, D]
      const ffIn = tf.reshape(norm(h, 'norm2'), [-1, D]) as tf.Tensor2D; // [B·(T+1), D]
      const ffOut = feedForward(ffIn, feedForwardWeights(p), precision); // [B·(T+1), D]
      h = tf.add(h, tf.reshape(ffOut, [B, T + 1, D]));
      afterBlock(l, h);
    }
  };

  return {
    config,
    params,
    forward(x, options = {}) {
      const layers = tf.tidy(() => {
        const embeddings: tf.Tensor2D[] = [];
        run(x, options.precision ?? 'fp32', 'class token', (l, output) => {
          const [B, , D] = output.shape;
          // LayerNorm is row by row: out_norms.l of the class tokens alone, not of every token.
          const classToken = tf.reshape(tf.slice(output, [0, 0, 0], [B, 1, D]), [B, D]) as tf.Tensor2D; // [B, D]
          embeddings.push(l2Normalize(outNorm(l, classToken)));
        });
        return embeddings;
      });
      return { layers };
    },
    tokens(x, options = {}) {
      return tf.tidy(() => {
        let last: tf.Tensor3D | undefined;
        run(x, options.precision ?? 'fp32', 'every token', (l, output) => {
          if (l === config.layers - 1) last = outNorm(l, output);
        });
        return last as tf.Tensor3D;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of params.values()) variable.dispose();
      fixedPositions?.dispose();
    },
  };
}
