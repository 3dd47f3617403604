// Eqs. 3–4: the auxiliary-loss sum, its weighting, its gradients and its argument checks.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import { withAuxiliary } from '../../../../main/engine/losses/auxiliary';
import { pairLoss } from '../../../../main/engine/losses/pairLoss';
import { referencePairLoss, seededRandom, unitRows } from './reference';

describe('withAuxiliary', () => {
  it('adds the final loss and the weighted earlier-layer losses, term by term', () => {
    const perLayer = [0.9, 1.7, 0.4, 2.5].map((value) => tf.scalar(value));
    const { total, terms } = withAuxiliary(perLayer, [0.2, 0.5, 0.1]);
    const expected = [0.9 * 0.2, 1.7 * 0.5, 0.4 * 0.1, 2.5];
    terms.forEach((term, layer) => expect(term.dataSync()[0]).toBeCloseTo(expected[layer] as number, 6));
    expect(total.dataSync()[0]).toBeCloseTo(2.5 + 0.2 * 0.9 + 0.5 * 1.7 + 0.1 * 0.4, 6);
    tf.dispose([...perLayer, total, ...terms]);
  });

  it('is the final loss alone for a single layer', () => {
    const only = tf.scalar(1.25);
    const { total, terms } = withAuxiliary([only], []);
    expect(total.dataSync()[0]).toBe(1.25);
    expect(terms).toHaveLength(1);
    tf.dispose([only, total, ...terms]);
  });

  it('weights each layer embedding’s gradient as eq. 4 says', () => {
    // Three "layers" whose embeddings are the same tensors scaled differently: d total / d ego must equal the
    // weighted sum of the per-layer gradients, checked against the float64 pair loss by finite differences.
    const random = seededRandom(4);
    const ego = unitRows(random, 3, 4);
    const exo = unitRows(random, 3, 4);
    const layerScales = [0.5, 0.8, 1];
    const weights = [0.2, 0.3];
    const reference = () =>
      layerScales.reduce((sum, layerScale, layer) => {
        const scaled = ego.map((value) => value * layerScale);
        return sum + (weights[layer] ?? 1) * referencePairLoss(scaled, exo, 3, 4, 1);
      }, 0);

    const [value, gradient] = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((e) => {
        const x = tf.tensor(exo, [3, 4]);
        const perLayer = layerScales.map((layerScale) => pairLoss(tf.mul(e as tf.Tensor, layerScale), x, tf.scalar(1)));
        return withAuxiliary(perLayer, weights).total;
      })([tf.tensor(ego, [3, 4])]);
      return [value.dataSync()[0] as number, Array.from((grads[0] as tf.Tensor).dataSync())];
    });

    expect(Math.abs(value - reference()) / reference()).toBeLessThan(1e-5);
    const step = 1e-4;
    gradient.forEach((entry, index) => {
      const original = ego[index] as number;
      ego[index] = original + step;
      const above = reference();
      ego[index] = original - step;
      const below = reference();
      ego[index] = original;
      expect(Math.abs(entry - (above - below) / (2 * step))).toBeLessThan(1e-4);
    });
  });

  it('rejects a weight count that does not match the layers, and bad weights', () => {
    const losses = [tf.scalar(1), tf.scalar(2)];
    expect(() => withAuxiliary(losses, [])).toThrow(ArgumentError);
    expect(() => withAuxiliary(losses, [])).toThrow('expected 1 weights for 2 layers, got 0');
    expect(() => withAuxiliary(losses, [Number.NaN])).toThrow('expected weights[0] to be a finite number >= 0, got NaN');
    expect(() => withAuxiliary([], [])).toThrow('expected at least one per-layer loss');
    const vector = tf.zeros([2]);
    expect(() => withAuxiliary([vector, losses[0] as tf.Tensor], [0.2])).toThrow('expected perLayer[0] to be a scalar');
    tf.dispose([...losses, vector]);
  });
});
