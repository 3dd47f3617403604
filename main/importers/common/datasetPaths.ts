// Path helpers every importer shares: a dataset root that holds all the folders a dataset ships in (features and
// annotations may live apart), paths relative to it as the catalog stores them, and folder/file checks.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ImportFormatError } from './errors';

/** The deepest folder that holds every one of `folders` (absolute paths). */
export function commonRoot(folders: readonly string[]): string {
  const split = folders.map((f) => resolve(f).split(sep));
  const first = split[0];
  if (!first) throw new RangeError('commonRoot: expected at least one folder');
  let length = first.length;
  for (const parts of split.slice(1)) {
    let i = 0;
    while (i < length && i < parts.length && parts[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join(sep) || sep;
}

/** `path` relative to `root`, with '/' separators (how the catalog stores it). */
export function relativeTo(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new RangeError(`relativeTo: ${path} is not inside ${root}`);
  return rel.split(sep).join('/');
}

/** An existing folder, resolved; otherwise an error naming the option it came from. */
export function requireFolder(path: string, what: string): string {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new ImportFormatError(absolute, `${what}: expected a folder`);
  }
  return absolute;
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
