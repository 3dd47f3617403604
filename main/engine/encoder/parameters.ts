// The encoder's parameters: their PyTorch names and shapes (one table, used by the encoder, the optimizer's
// decay rule and weights import/export) and their seeded, PyTorch-like initial values. The names are those of a
// PyTorch module holding `input_proj` (nn.Linear), `cls_token`, `pos_embed`, `layers` (a ModuleList of
// nn.TransformerEncoderLayer(norm_first=True, batch_first=True)) and `out_norms` (a ModuleList of nn.LayerNorm).

import type { EncoderConfig } from '../config';
import { SeededRandom } from '../../random/seededRandom';

export type ParameterShapes = Map<string, number[]>;

/** The encoder's parameter names and shapes, in PyTorch's [out, in] layout, in a stable order. */
export function encoderParameterShapes(config: EncoderConfig): ParameterShapes {
  const { inputDim: F, modelDim: D, layers: L, ffDim: FF, tokens: T } = config;
  const shapes: ParameterShapes = new Map();
  shapes.set('input_proj.weight', [D, F]);
  shapes.set('input_proj.bias', [D]);
  shapes.set('cls_token', [D]);
  if (config.posEmbed === 'learned') shapes.set('pos_embed', [T + 1, D]);
  for (let l = 0; l < L; l++) {
    const p = `layers.${l}`;
    shapes.set(`${p}.self_attn.in_proj_weight`, [3 * D, D]);
    shapes.set(`${p}.self_attn.in_proj_bias`, [3 * D]);
    shapes.set(`${p}.self_attn.out_proj.weight`, [D, D]);
    shapes.set(`${p}.self_attn.out_proj.bias`, [D]);
    shapes.set(`${p}.linear1.weight`, [FF, D]);
    shapes.set(`${p}.linear1.bias`, [FF]);
    shapes.set(`${p}.linear2.weight`, [D, FF]);
    shapes.set(`${p}.linear2.bias`, [D]);
    shapes.set(`${p}.norm1.weight`, [D]);
    shapes.set(`${p}.norm1.bias`, [D]);
    shapes.set(`${p}.norm2.weight`, [D]);
    shapes.set(`${p}.norm2.bias`, [D]);
  }
  for (let l = 0; l < L; l++) {
    shapes.set(`out_norms.${l}.weight`, [D]);
    shapes.set(`out_norms.${l}.bias`, [D]);
  }
  return shapes;
}

/** Standard deviation of the class token and learned positional embedding at init (as in ViT and CLIP). */
const embeddingInitStd = 0.02;

/**
 * Initial values like PyTorch's: xavier_uniform for the attention in-projection, kaiming_uniform(a=√5) — a
 * uniform bound of 1/√fan_in — for the other linear weights, zeros for all biases, ones/zeros for LayerNorms,
 * a small normal for the class token and positional embedding.
 */
export function initialParameterValues(config: EncoderConfig, seed: number): Map<string, Float32Array> {
  const random = new SeededRandom(seed);
  const values = new Map<string, Float32Array>();
  for (const [name, shape] of encoderParameterShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = shape[1] ?? 1;
    const fanOut = shape[0] ?? 1;
    let value: Float32Array;
    if (name.endsWith('in_proj_weight')) value = random.uniformArray(size, Math.sqrt(6 / (fanIn + fanOut)));
    else if (name === 'cls_token' || name === 'pos_embed') value = random.normalArray(size, embeddingInitStd);
    else if (/norm/.test(name) && name.endsWith('.weight')) value = new Float32Array(size).fill(1);
    else if (name.endsWith('.weight')) value = random.uniformArray(size, 1 / Math.sqrt(fanIn));
    else value = new Float32Array(size);
    values.set(name, value);
  }
  return values;
}

/** The fixed sinusoidal table [T+1, D] of "Attention Is All You Need"; row 0 is the class token's position. */
export function sinusoidalPositions(positions: number, dim: number): Float32Array {
  const table = new Float32Array(positions * dim);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < dim; i += 2) {
      const angle = p / Math.pow(10000, i / dim);
      table[p * dim + i] = Math.sin(angle);
      if (i + 1 < dim) table[p * dim + i + 1] = Math.cos(angle);
    }
  }
  return table;
}
