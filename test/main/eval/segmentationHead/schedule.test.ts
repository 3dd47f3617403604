// Tests of the heads' learning-rate schedules against PyTorch's definitions: ReduceLROnPlateau (mode 'min',
// threshold 1e-4 relative, patience, factor) and LTContext's constant-then-cosine SequentialLR.
import { describe, expect, it } from 'vitest';
import { LearningRateScheduler } from '../../../../main/eval/segmentationHead/schedule';

describe('learning-rate schedules', () => {
  it('constant keeps the learning rate', () => {
    const scheduler = new LearningRateScheduler({ kind: 'constant' }, 1e-3);
    expect([1, 2, 3].map((loss) => scheduler.endEpoch(loss))).toEqual([1e-3, 1e-3, 1e-3]);
  });

  it('plateau halves the learning rate after `patience` epochs without a lower loss, then counts again', () => {
    const scheduler = new LearningRateScheduler({ kind: 'plateau', factor: 0.5, patience: 3 }, 1);
    // best 10 at epoch 1; 10 (not lower by 1e-4), 9.9995 (not lower enough), 11, 12: the 4th bad epoch halves
    const rates = [10, 10, 9.9995, 11, 12, 5, 6, 6, 6, 6].map((loss) => scheduler.endEpoch(loss));
    expect(rates).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25]);
  });

  it('constant-cosine stays at the base rate, then follows CosineAnnealingLR down to its floor', () => {
    const scheduler = new LearningRateScheduler({ kind: 'constant-cosine', constantEpochs: 15, cosineEpochs: 105, minLr: 5e-5 }, 2.5e-4);
    const rates = Array.from({ length: 120 }, () => scheduler.endEpoch(1));
    // rates[e] is the rate of epoch e + 1 (0-based): epochs 0..14 use the base rate, epoch 15 starts the cosine
    expect(rates.slice(0, 14).every((lr) => lr === 2.5e-4)).toBe(true);
    expect(rates[14]).toBeCloseTo(2.5e-4, 12);
    const cosine = (e: number) => 5e-5 + ((2.5e-4 - 5e-5) * (1 + Math.cos((Math.PI * (e - 15)) / 105))) / 2;
    expect(rates[69]).toBeCloseTo(cosine(70), 12);
    expect(rates[119]).toBeCloseTo(5e-5, 12);
  });
});
