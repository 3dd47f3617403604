// The one seeded generator: the clip-sampling streams stay bit-identical to the values recorded before the
// generators were merged (the PyTorch mirror of the sampler reproduces exactly these), named streams are
// independent and reproducible, and the helpers stay in range.
import { describe, expect, it } from 'vitest';
import { SetSchedule } from '../../../main/engine/sampling/schedule';
import { deriveSeed, randomFor, SeededRandom } from '../../../main/random/seededRandom';

describe('SeededRandom', () => {
  it('reproduces the recorded sampling streams bit for bit', () => {
    expect([deriveSeed(1, 1, 0, 0x5e75), deriveSeed(7, 2, 3, 4), deriveSeed(0xffffffff, 123456789)]).toEqual([277134138, 3412058098, 1608190824]);
    const random = randomFor(5, 1, 2);
    expect(Array.from({ length: 5 }, () => random.uniform())).toEqual([
      0.006320097716525197, 0.6784092574380338, 0.6960282316431403, 0.6509331718552858, 0.47400636319071054,
    ]);
    expect(Array.from({ length: 5 }, () => random.int(97))).toEqual([38, 27, 70, 53, 58]);
    expect(Array.from(random.shuffle(Int32Array.from({ length: 12 }, (_, i) => i)))).toEqual([4, 0, 3, 8, 6, 2, 5, 11, 7, 1, 10, 9]);
    const schedule = new SetSchedule([23, 11, 40], { clipsPerSet: 4, batchSize: 10, scaleMin: 0.5, scaleMax: 2, seed: 9, stream: 1 });
    expect(schedule.batch({ epoch: 2, batchIndex: 3 }).map((c) => [c.source, c.window, c.set, c.scale])).toEqual([
      [2, 25, 0, 1.6196111801546067], [2, 32, 0, 1.6576331686228514], [2, 28, 0, 1.8810015517519787], [2, 24, 0, 1.3018783193547279],
      [1, 3, 1, 0.8019236893160269], [1, 9, 1, 1.282015502685681], [1, 1, 1, 1.2674670839915052], [1, 5, 1, 1.73228126950562],
      [0, 21, 2, 0.837251934572123], [0, 18, 2, 0.7182271999772638],
    ]);
  });

  it('derives named streams from strings and numbers, independent of the position of the parent', () => {
    expect(deriveSeed(3, 'scene', 1)).toBe(deriveSeed(3, 'scene', 1));
    expect(new Set([deriveSeed(3, 'scene', 1), deriveSeed(3, 'scene', 2), deriveSeed(3, 'camera', 1), deriveSeed(4, 'scene', 1)]).size).toBe(4);
    const parent = new SeededRandom(11);
    const before = parent.fork('script').uniform();
    parent.uniform();
    expect(parent.fork('script').uniform()).toBe(before);
    expect(parent.fork('script').uniform()).not.toBe(parent.fork('offsets').uniform());
  });

  it('keeps int, pick and uniformIn in range and normals near N(0, 1)', () => {
    const random = new SeededRandom(2);
    const ints = Array.from({ length: 2000 }, () => random.int(7));
    expect(Math.min(...ints)).toBe(0);
    expect(Math.max(...ints)).toBe(6);
    expect(new Set(Array.from({ length: 200 }, () => random.pick(['a', 'b', 'c'])))).toEqual(new Set(['a', 'b', 'c']));
    const values = Array.from({ length: 2000 }, () => random.uniformIn(-3, 5));
    expect(values.every((v) => v >= -3 && v < 5)).toBe(true);
    const normals = random.normalArray(20_000, 2);
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 4)).toBeLessThan(0.15);
    expect(() => random.pick([])).toThrow(RangeError);
  });
});
