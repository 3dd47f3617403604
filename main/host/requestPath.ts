// Splits a request's raw path into decoded segments and refuses anything that could climb out of a folder.
// It reads the raw request target, not a parsed URL, because URL parsing silently resolves `..` and `%2e%2e`.

export class BadPathError extends Error {
  override name = 'BadPathError';
}

export function requestSegments(rawUrl: string): string[] {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) throw new BadPathError(`expected a path starting with "/", got ${JSON.stringify(rawPath)}`);
  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new BadPathError(`malformed percent-encoding in ${JSON.stringify(raw)}`);
    }
    if (segment === '.' || segment === '..') throw new BadPathError('relative path segments are not allowed');
    if (/[/\\\0]/.test(segment)) throw new BadPathError('encoded separators are not allowed in a path segment');
    if (segment !== '') segments.push(segment);
  }
  return segments;
}
