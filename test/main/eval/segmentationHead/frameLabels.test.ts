// Tests of per-frame labels from segments on a scene's frame range.
import { describe, expect, it } from 'vitest';
import { classList, frameLabels } from '../../../../main/eval/segmentationHead/frameLabels';

const segments = [
  { startFrame: 0, endFrame: 4, label: 'take' },
  { startFrame: 4, endFrame: 6, label: 'put' },
  { startFrame: 8, endFrame: 12, label: 'take' },
];

describe('frame labels', () => {
  it('lists classes once, sorted, with extra classes', () => {
    expect(classList(segments, ['none'])).toEqual(['none', 'put', 'take']);
  });

  it('labels the range’s frames, filling uncovered ones with the unlabeled class', () => {
    const classes = classList(segments, ['none']);
    expect(Array.from(frameLabels(segments, { start: 2, end: 10 }, classes, 's', 'none'))).toEqual([2, 2, 1, 1, 0, 0, 2, 2]);
  });

  it('refuses uncovered frames without an unlabeled class, and unknown labels', () => {
    expect(() => frameLabels(segments, { start: 0, end: 10 }, ['put', 'take'], 'scene1')).toThrow(/scene scene1: frame 6 is in no segment/);
    expect(() => frameLabels(segments, { start: 0, end: 4 }, ['put'], 'scene1')).toThrow(/"take" is not in the class list/);
  });
});
