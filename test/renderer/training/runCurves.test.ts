// A run's curves: built from stored metric rows, extended by live steps, a replayed step replacing the old value.
import { describe, expect, it } from 'vitest';
import { auxiliaryLayer, curvesFromPoints, emptyCurves, mergeCurves, withStep } from '../../../renderer/src/screens/training/runCurves';

describe('curvesFromPoints', () => {
  it('orders each metric by step and leaves out non-finite values', () => {
    const curves = curvesFromPoints([
      { step: 2, name: 'loss', value: 3 },
      { step: 1, name: 'loss', value: 4 },
      { step: 1, name: 'logit_scale', value: 2.7 },
      { step: 3, name: 'loss', value: Number.NaN },
    ]);
    expect(curves).toEqual({ loss: [{ x: 1, y: 4 }, { x: 2, y: 3 }], logit_scale: [{ x: 1, y: 2.7 }] });
  });
});

describe('withStep', () => {
  it('appends a new step without changing the curves it was given', () => {
    const before = curvesFromPoints([{ step: 1, name: 'loss', value: 4 }]);
    const after = withStep(before, 2, { loss: 3, clips_per_s: 120 });
    expect(after).toEqual({ loss: [{ x: 1, y: 4 }, { x: 2, y: 3 }], clips_per_s: [{ x: 2, y: 120 }] });
    expect(before).toEqual({ loss: [{ x: 1, y: 4 }] });
  });

  it('replaces a step reported again (a resumed run replaying steps) and keeps the order', () => {
    let curves = emptyCurves;
    for (const [step, value] of [[1, 5], [2, 4], [3, 3], [2, 4.5], [0, 6]] as const) curves = withStep(curves, step, { loss: value });
    expect(curves.loss).toEqual([{ x: 0, y: 6 }, { x: 1, y: 5 }, { x: 2, y: 4.5 }, { x: 3, y: 3 }]);
  });
});

describe('auxiliaryLayer', () => {
  it('reads the layer of the training loop’s and the contract’s spellings only', () => {
    expect(auxiliaryLayer('loss_aux_3')).toBe(3);
    expect(auxiliaryLayer('aux.layer5')).toBe(5);
    expect(auxiliaryLayer('loss')).toBeNull();
    expect(auxiliaryLayer('loss_aux_x')).toBeNull();
  });
});

describe('mergeCurves', () => {
  it('joins stored history and live steps, live values winning at shared steps', () => {
    const history = curvesFromPoints([
      { step: 1, name: 'loss', value: 5 },
      { step: 2, name: 'loss', value: 4 },
      { step: 1, name: 'lr', value: 1 },
    ]);
    const live = withStep(withStep(emptyCurves, 2, { loss: 4.2 }), 3, { loss: 3, clips_per_s: 9 });
    expect(mergeCurves(history, live)).toEqual({
      loss: [{ x: 1, y: 5 }, { x: 2, y: 4.2 }, { x: 3, y: 3 }],
      lr: [{ x: 1, y: 1 }],
      clips_per_s: [{ x: 3, y: 9 }],
    });
  });
});
