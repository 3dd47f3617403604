// The annotation file formats and segment rules on their own: formatting, parsing with line numbers, background
// runs, and the timeline rules (order, range, overlap).
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import { formatCoarseLabels, parseCoarseLabels } from '../../../main/annotations/coarseLabels';
import { formatMstcnLabels, MSTCN_BACKGROUND, parseMstcnLabels } from '../../../main/annotations/mstcnLabels';
import { checkSegments, type CheckedSegment } from '../../../main/annotations/segmentRules';

const segment = (startFrame: number, endFrame: number, label: string): CheckedSegment => ({
  startFrame,
  endFrame,
  label,
  verb: null,
  object: null,
  source: 'imported',
});

describe('Assembly101 coarse labels', () => {
  it('writes 9-digit zero-padded frames as the dataset does', () => {
    expect(formatCoarseLabels([segment(6833, 7554, 'attempt to screw chassis')])).toBe('000006833 000007554 attempt to screw chassis\n');
  });

  it('reads tab- or space-separated lines, skipping empty ones and keeping line numbers', () => {
    const parsed = parseCoarseLabels('\n000006833\t000007554\tattempt to screw chassis\r\n7554 8000 inspect chassis  \n');
    expect(parsed).toEqual([
      { where: 'text line 2', segment: segment(6833, 7554, 'attempt to screw chassis') },
      { where: 'text line 3', segment: segment(7554, 8000, 'inspect chassis') },
    ]);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseCoarseLabels('0 5 a\n5 b\n')).toThrow(new ArgumentError('text line 2: expected "start_frame end_frame label", got "5 b"'));
  });
});

describe('MS-TCN labels', () => {
  it('writes one label per frame with background where no segment is', () => {
    expect(formatMstcnLabels([segment(1, 3, 'a'), segment(3, 4, 'b')], 5)).toBe(['background', 'a', 'a', 'b', 'background', ''].join('\n'));
  });

  it('writes up to the last segment when the frame count is unknown', () => {
    expect(formatMstcnLabels([segment(0, 2, 'a')], null)).toBe('a\na\n');
  });

  it('reads runs of equal labels as segments and drops background runs', () => {
    const text = [MSTCN_BACKGROUND, 'a', 'a', 'b', MSTCN_BACKGROUND, 'b', ''].join('\n');
    expect(parseMstcnLabels(text).map((s) => s.segment)).toEqual([segment(1, 3, 'a'), segment(3, 4, 'b'), segment(5, 6, 'b')]);
  });

  it('names the line of an empty label inside the file', () => {
    expect(() => parseMstcnLabels('a\n \na\n')).toThrow(/text line 2/);
  });
});

describe('checkSegments', () => {
  const at = (where: string, s: CheckedSegment) => ({ where, segment: s });

  it('returns the segments in timeline order', () => {
    expect(checkSegments([at('x', segment(5, 8, 'b')), at('y', segment(0, 5, 'a'))], 10)).toEqual([segment(0, 5, 'a'), segment(5, 8, 'b')]);
  });

  it.each([
    [[at('s0', segment(4, 4, 'a'))], 10, 's0: expected endFrame > startFrame (4), got 4'],
    [[at('s0', segment(4, 11, 'a'))], 10, "s0: expected endFrame <= the scene's 10 frames, got 11"],
    [[at('s0', segment(0, 5, 'a')), at('s1', segment(4, 6, 'b'))], null, 's1: segment [4, 6) overlaps s0 [0, 5); segments must not overlap'],
    [[at('s0', segment(0, 5, ' '))], null, 's0: expected a non-empty label'],
  ])('refuses %j (frames %s): %s', (segments, frames, message) => {
    expect(() => checkSegments(segments, frames)).toThrow(new ArgumentError(message));
  });

  it('accepts any end frame when the scene length is unknown', () => {
    expect(checkSegments([at('s0', segment(0, 1e6, 'a'))], null)).toHaveLength(1);
  });
});
