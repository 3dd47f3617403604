// Errors in words for people: the action that failed as the title, what went wrong as the error's own message, and
// the technical part (the error's class, the contract's plain title for it) on demand. Class names such as
// "ArgumentError" are for code and logs; the banner keeps them under "Details".
import { errorTitles } from '../../../contract/errors';

export interface ShownError {
  /** What the user was doing: "Could not save the sync offset 3 of view v2". */
  title: string;
  /** What went wrong, in the words of whoever refused it: "expected a whole number of frames, got NaN". */
  message: string;
  /** The kind of failure in plain words and the error's class and full text, for the Details. */
  detail: string;
}

function nameOf(error: unknown): string {
  return error instanceof Error && error.name ? error.name : 'Error';
}

/** The error's message alone (no class name), for a status line or a banner. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim() === '' ? (errorTitles[nameOf(error)] ?? 'something went wrong, without a message') : text;
}

export function shownError(title: string, error: unknown): ShownError {
  const name = nameOf(error);
  const kind = errorTitles[name] ?? (name === 'Error' || name === 'TypeError' || name === 'RangeError' ? 'Unexpected error in the page' : null);
  const technical = `${name}: ${error instanceof Error ? error.message : String(error)}`;
  return { title, message: describeError(error), detail: kind ? `${kind} (${technical})` : technical };
}

/**
 * A run's stored failure reason in words for people: the catalog keeps it as written for logs and the CLI
 * ("segmentation: ArgumentError: scene scene01: frame 14 is in no segment…", the stage first for a pipeline); the
 * page shows it without the error's class ("segmentation: scene scene01: frame 14 is in no segment…") and keeps the
 * full text for a tooltip.
 */
export function runErrorText(stored: string): string {
  return stored.replace(/^((?:[a-z][\w -]*: )?)[A-Z]\w*(?:Error|Exception): /, '$1');
}
