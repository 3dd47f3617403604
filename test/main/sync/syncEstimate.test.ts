// A scene's sync estimate on synthetic views with known offsets: views already right stay (with a high probability),
// views set wrong are put back, a view that is off alone is the one moved even when it is the first, and views that
// see nothing of the scene (a flat, ambiguous correlation) are left where they are with a low probability.
import { describe, expect, it } from 'vitest';
import { CURRENT_PRIOR_ODDS, decide, estimateSceneSync, FLOOR_PROBABILITY, shiftProbabilities } from '../../../main/sync/syncEstimate';
import { readViewSignal } from '../../../main/sync/viewSignals';
import { syntheticScene, type SyntheticOptions } from './syntheticScene';

const truth = [0, 3, -2, 5, 1, -4];

/** The estimate of a synthetic scene whose views stand at `current` offsets (their true ones are `truth`). */
function estimate(current: number[], options: Partial<SyntheticOptions> = {}) {
  const source = syntheticScene({ frames: 480, dim: 16, offsets: truth, noise: 0.5, sharedBasis: true, ...options });
  const signals = current.map((offset, k) => ({ signal: readViewSignal(source, k), offset }));
  return estimateSceneSync(signals, { maxOffset: 10, draws: 100 });
}

describe('estimateSceneSync', () => {
  it('keeps views that are already right, with a high probability', () => {
    const { views } = estimate(truth);
    for (const view of views) {
      expect(view.suggestedShift).toBe(0);
      expect(view.confidence).toBeGreaterThan(0.9);
      expect(view.currentProbability).toBe(view.confidence);
      expect(Math.abs(view.shift)).toBeLessThan(0.5);
    }
  });

  it('puts views that were set wrong back to their true offsets and leaves the others', () => {
    const current = truth.map((offset, k) => offset + (k === 2 ? 4 : k === 4 ? -3 : 0));
    const { views } = estimate(current);
    expect(views.map((v) => v.suggestedShift)).toEqual([0, 0, -4, 0, 3, 0]);
    expect(views[2]!.confidence).toBeGreaterThan(0.9);
    expect(views[2]!.currentProbability).toBeLessThan(0.01);
  });

  it('moves the one view that is off, even the first, rather than all the others (the median view anchors)', () => {
    const current = truth.map((offset, k) => offset + (k === 0 ? 3 : 0));
    const sync = estimate(current);
    expect(sync.views.map((v) => v.suggestedShift)).toEqual([-3, 0, 0, 0, 0, 0]);
    expect(sync.reference).not.toBe(0);
  });

  it('leaves views that see nothing of the scene where they are, with a low probability', () => {
    const current = truth.map((offset, k) => offset + (k === 5 ? 2 : 0));
    const { views } = estimate(current, { blind: [5] });
    expect(views[5]!.suggestedShift).toBe(0);
    expect(views[5]!.confidence).toBeLessThan(0.5);
    for (const view of views.slice(0, 5)) expect(view.suggestedShift).toBe(0);
  });

  it('claims nothing when no view sees the scene: every view stays, none with a high probability', () => {
    const { views } = estimate(truth, { blind: [0, 1, 2, 3, 4, 5] });
    for (const view of views) {
      expect(view.suggestedShift).toBe(0);
      expect(view.confidence).toBeLessThan(0.5);
    }
  });

  it('is deterministic: the same signals give the same estimate', () => {
    expect(estimate(truth).views).toEqual(estimate(truth).views);
  });
});

describe('shiftProbabilities and decide', () => {
  it('turns draws into probabilities over whole-frame shifts that sum to one', () => {
    const probability = shiftProbabilities([1, 1, 1, 1.02, 0.98], 3);
    expect(probability).toHaveLength(7);
    expect(probability.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(probability[4]).toBeGreaterThan(0.98);
    expect(probability[0]).toBeCloseTo(FLOOR_PROBABILITY / 7, 6);
  });

  it('splits a draw halfway between two shifts evenly between them', () => {
    const probability = shiftProbabilities([0.5], 2);
    expect(probability[2]).toBeCloseTo(probability[3]!, 6);
  });

  it('spreads a draw that could not place the view over all candidates', () => {
    for (const p of shiftProbabilities([NaN, NaN], 2)) expect(p).toBeCloseTo(0.2, 9);
  });

  it('moves a view only when the data make another offset CURRENT_PRIOR_ODDS times as likely as its current one', () => {
    const likelihood = (current: number, other: number) => [0, 0, current, other, 0];
    const weak = decide(likelihood(0.2, 0.8), 2);
    expect(0.8 / 0.2).toBeLessThan(CURRENT_PRIOR_ODDS);
    expect(weak.suggestedShift).toBe(0);
    expect(weak.confidence).toBeCloseTo((CURRENT_PRIOR_ODDS * 0.2) / (CURRENT_PRIOR_ODDS * 0.2 + 0.8), 9);
    const strong = decide(likelihood(0.01, 0.99), 2);
    expect(strong.suggestedShift).toBe(1);
    expect(strong.confidence).toBeCloseTo(0.99 / (CURRENT_PRIOR_ODDS * 0.01 + 0.99), 9);
    expect(strong.currentProbability).toBeCloseTo((CURRENT_PRIOR_ODDS * 0.01) / (CURRENT_PRIOR_ODDS * 0.01 + 0.99), 9);
  });
});
