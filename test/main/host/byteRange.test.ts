// Parsing of HTTP Range headers against a file size.
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../main/host/byteRange';

describe('parseRange', () => {
  it('answers the whole file without a Range header or with another unit', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'whole' });
    expect(parseRange('items=0-5', 100)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'whole' });
  });

  it('reads closed, open-ended and suffix ranges with an inclusive end', () => {
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'part', start: 10, end: 19 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'part', start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ kind: 'part', start: 95, end: 99 });
  });

  it('clips an end past the file and a suffix longer than the file', () => {
    expect(parseRange('bytes=50-1000', 100)).toEqual({ kind: 'part', start: 50, end: 99 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ kind: 'part', start: 0, end: 99 });
  });

  it('refuses ranges that start past the end, run backwards or are empty', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=200-300', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=20-10', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
