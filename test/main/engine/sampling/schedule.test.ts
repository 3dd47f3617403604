import { describe, expect, it } from 'vitest';
import { epochLayout, SetSchedule } from '../../../../main/engine/sampling/schedule';

const options = { clipsPerSet: 3, batchSize: 3, scaleMin: 0.5, scaleMax: 2, seed: 1, stream: 1 };

describe('SetSchedule', () => {
  it('cuts each source into sets of distinct windows, filling a short last set from the same source', () => {
    const schedule = new SetSchedule([7, 3], options);
    expect(schedule.batchesPerEpoch).toBe(4); // ⌈7/3⌉ + ⌈3/3⌉ sets of one batch each
    const windowsOf = new Map<number, number[]>();
    for (let b = 0; b < 4; b++) {
      const clips = schedule.batch({ epoch: 0, batchIndex: b });
      expect(new Set(clips.map((c) => c.source)).size).toBe(1);
      expect(new Set(clips.map((c) => c.window)).size).toBe(3);
      const source = clips[0]!.source;
      windowsOf.set(source, [...(windowsOf.get(source) ?? []), ...clips.map((c) => c.window)]);
    }
    expect(new Set(windowsOf.get(0))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(windowsOf.get(0)).toHaveLength(9);
    expect(new Set(windowsOf.get(1))).toEqual(new Set([0, 1, 2]));
  });

  it('draws scales in [scaleMin, scaleMax] and shuffles differently in each epoch', () => {
    const schedule = new SetSchedule([30], options);
    const epoch0 = Array.from({ length: 10 }, (_, b) => schedule.batch({ epoch: 0, batchIndex: b }));
    const epoch1 = Array.from({ length: 10 }, (_, b) => schedule.batch({ epoch: 1, batchIndex: b }));
    for (const clip of epoch0.flat()) expect(clip.scale >= 0.5 && clip.scale <= 2).toBe(true);
    expect(epoch1.flat().map((c) => c.window)).not.toEqual(epoch0.flat().map((c) => c.window));
    expect(schedule.batch({ epoch: 0, batchIndex: 4 })).toEqual(epoch0[4]);
  });

  it('keeps the first B clips of ⌈B/K⌉ sets when K does not divide B', () => {
    expect(epochLayout([10, 10], 3, 5)).toEqual({ setsPerEpoch: 8, setsPerBatch: 2, batchesPerEpoch: 4 });
    const clips = new SetSchedule([10, 10], { ...options, batchSize: 5 }).batch({ epoch: 0, batchIndex: 0 });
    expect(clips.map((c) => c.set)).toEqual([0, 0, 0, 1, 1]);
  });
});
