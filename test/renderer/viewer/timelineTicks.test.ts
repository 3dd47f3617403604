// Ruler ticks: nice steps over the visible range, never closer than the minimum spacing, labelled in m:ss, and in
// frames after the second ("+05f") when zoomed in far enough.
import { describe, expect, it } from 'vitest';
import { timelineTicks } from '../../../renderer/src/screens/scene/viewer/timelineTicks';

describe('timelineTicks', () => {
  it('picks the smallest nice step that keeps labels apart', () => {
    const ticks = timelineTicks(0, 48 * 15, 15, 840);
    expect(ticks.map((t) => t.label)).toEqual(['0:00', '0:05', '0:10', '0:15', '0:20', '0:25', '0:30', '0:35', '0:40', '0:45']);
    expect(ticks[1]!.frame).toBe(75);
  });

  it('uses frames within the second on a short range and minutes on a long one', () => {
    expect(timelineTicks(0, 30, 30, 400).map((t) => t.label)).toEqual(['0:00', '+05f', '+10f', '+15f', '+20f', '+25f', '0:01']);
    expect(timelineTicks(0, 30 * 3600, 30, 800).map((t) => t.label).slice(0, 3)).toEqual(['0:00', '5:00', '10:00']);
  });

  it('covers only the visible range when zoomed in', () => {
    const ticks = timelineTicks(150, 300, 15, 2000);
    expect(ticks[0]).toEqual({ frame: 150, label: '0:10' });
    expect(ticks.at(-1)!.frame).toBeLessThanOrEqual(300);
    expect(ticks.every((t) => t.frame >= 150)).toBe(true);
    // 150 frames over 2000 px: 13 px a frame, so a tick every 5 frames within each 15-frame second (+05f, +10f).
    expect(ticks.slice(0, 4).map((t) => t.label)).toEqual(['0:10', '+05f', '+10f', '0:11']);
  });

  it('has no ticks before the ruler has a width', () => {
    expect(timelineTicks(0, 100, 30, 0)).toEqual([]);
  });
});
