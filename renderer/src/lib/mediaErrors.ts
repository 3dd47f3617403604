// Words for a <video> element's failure, from its MediaError code (HTML spec, "MediaError").
const reasons: Record<number, string> = {
  1: 'loading was aborted',
  2: 'a network error interrupted the download',
  3: 'the file could not be decoded',
  4: 'the file is missing, not allowed, or in a format this browser cannot play',
};

export function describeMediaError(error: MediaError | null): string {
  if (!error) return 'the video failed for an unknown reason';
  const reason = reasons[error.code] ?? `media error ${error.code}`;
  return error.message ? `${reason} (${error.message})` : reason;
}
