// Request paths split into segments, with every way of climbing out of a folder refused.
import { describe, expect, it } from 'vitest';
import { BadPathError, requestSegments } from '../../../main/host/requestPath';

describe('requestSegments', () => {
  it('splits and decodes the path, ignoring the query and empty segments', () => {
    expect(requestSegments('/')).toEqual([]);
    expect(requestSegments('/assets/index-1.js?token=abc')).toEqual(['assets', 'index-1.js']);
    expect(requestSegments('/a//b%20c/')).toEqual(['a', 'b c']);
  });

  it.each([
    '/../etc/passwd',
    '/assets/../../x',
    '/%2e%2e/x',
    '/%2E%2e/x',
    '/.%2e/x',
    '/./x',
    '/a/%2f..%2fb',
    '/a/..%5c..%5cb',
    '/a%00b',
    '/%zz',
    'relative',
  ])('refuses %s', (raw) => {
    expect(() => requestSegments(raw)).toThrow(BadPathError);
  });
});
