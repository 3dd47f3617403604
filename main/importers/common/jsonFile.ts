// Reads a dataset's JSON metadata file (manifest.json, takes.json, splits.json): at most MAX_JSON_BYTES, strict
// UTF-8, and every failure (missing, too large, not text, not JSON) an ImportFormatError naming the file.
import { readFileSync, statSync } from 'node:fs';
import { ImportFormatError } from './errors';

/** The largest JSON metadata file read (256 MiB; Ego-Exo4D's takes.json is about 100 MB). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

export function readJsonFile(file: string, maxBytes = MAX_JSON_BYTES): unknown {
  let bytes: Buffer;
  try {
    const { size } = statSync(file);
    if (size > maxBytes) throw new ImportFormatError(file, `${size} bytes: larger than the ${maxBytes} bytes a JSON metadata file may have`);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof ImportFormatError) throw error;
    throw new ImportFormatError(file, `cannot read it (${(error as Error).message})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportFormatError(file, 'not UTF-8 text: expected a JSON file');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportFormatError(file, `not valid JSON (${(error as Error).message})`);
  }
}
