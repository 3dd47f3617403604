// Ruler ticks: nice steps, never closer than the minimum spacing, labelled in m:ss.
import { describe, expect, it } from 'vitest';
import { timelineTicks } from '../../../renderer/src/screens/scene/viewer/timelineTicks';

describe('timelineTicks', () => {
  it('picks the smallest nice step that keeps labels apart', () => {
    const ticks = timelineTicks(48 * 15, 15, 840);
    expect(ticks.map((t) => t.label)).toEqual(['0:00', '0:05', '0:10', '0:15', '0:20', '0:25', '0:30', '0:35', '0:40', '0:45']);
    expect(ticks[1]!.frame).toBe(75);
  });

  it('uses half seconds on a short scene and minutes on a long one', () => {
    expect(timelineTicks(30, 30, 400).map((t) => t.label)).toEqual(['0:00', '0:00.5', '0:01']);
    expect(timelineTicks(30 * 3600, 30, 800).map((t) => t.label).slice(0, 3)).toEqual(['0:00', '5:00', '10:00']);
  });

  it('has no ticks before the ruler has a width', () => {
    expect(timelineTicks(100, 30, 0)).toEqual([]);
  });
});
