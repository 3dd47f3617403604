// A slow, obvious float64 reference of the EVGAP encoder written with plain loops, to test the tfjs encoder
// against: Linear, LayerNorm, multi-head attention, ReLU feed-forward, class token, positional embedding,
// per-layer out norms and L2 normalization, each spelled out as in PyTorch's documentation.

import type { EncoderConfig } from '../../../../main/engine/config';

type Matrix = number[][];
export type ReferenceParams = Map<string, Float64Array>;

function linear(x: Matrix, weight: Float64Array, bias: Float64Array, outDim: number): Matrix {
  return x.map((row) => {
    const out: number[] = [];
    for (let o = 0; o < outDim; o++) {
      let sum = bias[o] as number;
      for (let i = 0; i < row.length; i++) sum += (row[i] as number) * (weight[o * row.length + i] as number);
      out.push(sum);
    }
    return out;
  });
}

function layerNorm(x: Matrix, weight: Float64Array, bias: Float64Array, eps: number): Matrix {
  return x.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * (weight[i] as number) + (bias[i] as number));
  });
}

function attention(x: Matrix, p: (name: string) => Float64Array, prefix: string, D: number, H: number): Matrix {
  const qkv = linear(x, p(`${prefix}.in_proj_weight`), p(`${prefix}.in_proj_bias`), 3 * D);
  const dh = D / H;
  const S = x.length;
  const context: Matrix = x.map(() => new Array<number>(D).fill(0));
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < S; i++) {
      const scores: number[] = [];
      for (let j = 0; j < S; j++) {
        let dot = 0;
        for (let c = 0; c < dh; c++) {
          dot += (qkv[i]![h * dh + c] as number) * (qkv[j]![D + h * dh + c] as number);
        }
        scores.push(dot / Math.sqrt(dh));
      }
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const total = exps.reduce((a, b) => a + b, 0);
      for (let j = 0; j < S; j++) {
        for (let c = 0; c < dh; c++) {
          const row = context[i] as number[];
          row[h * dh + c] = (row[h * dh + c] as number) + ((exps[j] as number) / total) * (qkv[j]![2 * D + h * dh + c] as number);
        }
      }
    }
  }
  return linear(context, p(`${prefix}.out_proj.weight`), p(`${prefix}.out_proj.bias`), D);
}

function add(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v + (b[i]![j] as number)));
}

/** The L2-normalized class-token embeddings of each layer, [L][B][D], for one input x [B][T][F]. */
export function referenceForward(config: EncoderConfig, params: ReferenceParams, x: number[][][]): number[][][] {
  const { modelDim: D, heads: H, ffDim: FF, layerNormEps: eps } = config;
  const p = (name: string): Float64Array => {
    const value = params.get(name);
    if (value === undefined) throw new Error(`reference: no parameter ${name}`);
    return value;
  };
  const perLayer: number[][][] = Array.from({ length: config.layers }, () => []);
  for (const clip of x) {
    const projected = linear(clip, p('input_proj.weight'), p('input_proj.bias'), D);
    const pos = p('pos_embed');
    let tokens: Matrix = [Array.from(p('cls_token')), ...projected].map((row, t) =>
      row.map((v, d) => v + (pos[t * D + d] as number)),
    );
    for (let l = 0; l < config.layers; l++) {
      const pre = `layers.${l}`;
      tokens = add(tokens, attention(layerNorm(tokens, p(`${pre}.norm1.weight`), p(`${pre}.norm1.bias`), eps), p, `${pre}.self_attn`, D, H));
      const normed = layerNorm(tokens, p(`${pre}.norm2.weight`), p(`${pre}.norm2.bias`), eps);
      const hidden = linear(normed, p(`${pre}.linear1.weight`), p(`${pre}.linear1.bias`), FF).map((r) => r.map((v) => Math.max(0, v)));
      tokens = add(tokens, linear(hidden, p(`${pre}.linear2.weight`), p(`${pre}.linear2.bias`), D));
      const cls = layerNorm(tokens, p(`out_norms.${l}.weight`), p(`out_norms.${l}.bias`), eps)[0] as number[];
      const norm = Math.sqrt(cls.reduce((a, b) => a + b * b, 0));
      perLayer[l]!.push(cls.map((v) => v / norm));
    }
  }
  return perLayer;
}
