// The pace behind clips/s and the ETA: a moving average of step durations.
import { describe, expect, it } from 'vitest';
import { Pace } from '../../../../main/engine/training/trainingEvents';

describe('Pace', () => {
  it('reports nothing before the first step', () => {
    const pace = new Pace();
    expect(pace.clipsPerSecond).toBe(0);
    expect(pace.etaSeconds(10)).toBe(0);
  });

  it('averages step durations exponentially for clips/s and the time left', () => {
    const pace = new Pace(0.5);
    pace.record(2, 100);
    expect(pace.clipsPerSecond).toBe(50);
    expect(pace.etaSeconds(10)).toBe(20);
    pace.record(4, 100); // 0.5·2 + 0.5·4 = 3 s per step
    expect(pace.clipsPerSecond).toBeCloseTo(100 / 3, 10);
    expect(pace.etaSeconds(10)).toBe(30);
  });
});
