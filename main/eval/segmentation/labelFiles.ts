// Reads temporal action segmentation labels in MS-TCN's folder layout: a ground-truth folder and a prediction
// folder with one text file per video under the same file name, one label per line, one line per frame; and
// MS-TCN's `mapping.txt` (`index label` per line), the vocabulary every label must belong to when given.
// Problems name the file and, where there is one, the 1-based line.
//
// Files are streamed line by line (formats/textLines.ts; the per-frame rules are annotations/mstcnLabels.ts's):
// lines are trimmed (so CRLF files read as LF ones) and may end the file with empty lines; an empty line followed
// by a label is an error, not a frame. A binary file, a line over the line limit or a file of more frames than
// MAX_LABEL_FRAMES fails at once, naming the file. Files whose names start with '.' and subfolders are not videos.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../../../contract/errors';
import { frameLabels } from '../../annotations/mstcnLabels';
import { readTextLines, TextFileError, type TextLine, type TextLineOptions } from '../../formats/textLines';
import type { LabelledVideo } from './metrics';

/** A label, mapping or folder file that is not what the format says; the message names the file and line. */
export class LabelFileError extends Error {
  override name = 'LabelFileError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    problem: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`);
  }
}

/** The lines of a text file, streamed; a missing file is a NotFoundError, a file that is not text a LabelFileError. */
function* fileLines(file: string, options: TextLineOptions): Generator<TextLine, void, undefined> {
  try {
    yield* readTextLines(file, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`file not found: ${file}`);
    if (code === 'EISDIR') throw new LabelFileError(file, undefined, 'expected a label file, got a folder');
    if (error instanceof TextFileError) throw new LabelFileError(file, error.line, `${error.problem} (byte offset ${error.offset})`);
    throw error;
  }
}

type Fail = (line: number, problem: string) => never;

function failAt(file: string): Fail {
  return (line, problem) => {
    throw new LabelFileError(file, line, problem);
  };
}

export interface LabelFileOptions extends TextLineOptions {
  /** Most frames a file may hold (default MAX_LABEL_FRAMES). */
  maxFrames?: number;
}

/** One video's frame labels, checked against `vocabulary` when given. */
export function readLabelFile(file: string, vocabulary?: ReadonlySet<string>, options: LabelFileOptions = {}): string[] {
  const fail: Fail = failAt(file);
  const checked = function* (): Generator<TextLine, void, undefined> {
    for (const entry of fileLines(file, options)) {
      const label = entry.text.trim();
      if (vocabulary && label !== '' && !vocabulary.has(label)) {
        fail(entry.line, `label ${JSON.stringify(label.slice(0, 200))} is not in the vocabulary (${vocabulary.size} labels)`);
      }
      yield entry;
    }
  };
  const labels = frameLabels(checked(), fail, options.maxFrames);
  if (labels.length === 0) throw new LabelFileError(file, undefined, 'no labels (expected one label per frame)');
  return labels;
}

/** The labels of an MS-TCN `mapping.txt` (`index label` per line, e.g. `0 take_screwdriver`), in index order. */
export function readMappingFile(file: string): string[] {
  const byIndex = new Map<number, string>();
  const seen = new Set<string>();
  const fail: Fail = failAt(file);
  let emptyLine: number | undefined;
  for (const { text: raw, line } of fileLines(file, {})) {
    const text = raw.trim();
    if (text === '') {
      emptyLine ??= line;
      continue;
    }
    if (emptyLine !== undefined) fail(emptyLine, 'empty line before the last label (expected "index label" per line)');
    const match = /^(\d+)\s+(\S.*)$/.exec(text);
    if (!match) fail(line, `expected "index label", got ${JSON.stringify(text.slice(0, 200))}`);
    const index = Number(match[1]);
    const label = match[2]!;
    if (byIndex.has(index)) throw new LabelFileError(file, line, `index ${index} appears twice`);
    if (seen.has(label)) throw new LabelFileError(file, line, `label ${JSON.stringify(label)} appears twice`);
    byIndex.set(index, label);
    seen.add(label);
  }
  if (byIndex.size === 0) throw new LabelFileError(file, undefined, 'no labels (expected "index label" per line)');
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, label]) => label);
}

/** The names of the video files in a folder, sorted. */
function videoFileNames(folder: string, role: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${role} folder not found: ${folder}`);
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new LabelFileError(folder, undefined, `expected a ${role} folder, got a file`);
    throw error;
  }
  return names.filter((name) => !name.startsWith('.') && statSync(join(folder, name)).isFile()).sort();
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/**
 * Pairs each ground-truth file of `gtDir` with the prediction file of the same name in `predDir`: every file must
 * have its partner, and both must have the same number of frames.
 */
export function readLabelFolder(gtDir: string, predDir: string, options: { vocabulary?: readonly string[] } = {}): LabelledVideo[] {
  const vocabulary = options.vocabulary ? new Set(options.vocabulary) : undefined;
  const gtNames = videoFileNames(gtDir, 'ground-truth');
  const predNames = videoFileNames(predDir, 'prediction');
  if (gtNames.length === 0) throw new LabelFileError(gtDir, undefined, 'no label files in the ground-truth folder');
  const predSet = new Set(predNames);
  const gtSet = new Set(gtNames);
  const withoutPrediction = gtNames.filter((name) => !predSet.has(name));
  if (withoutPrediction.length > 0) {
    throw new LabelFileError(
      join(predDir, withoutPrediction[0]!),
      undefined,
      `missing: no prediction file for ground truth ${join(gtDir, withoutPrediction[0]!)} (${withoutPrediction.length} missing: ${listNames(withoutPrediction)})`,
    );
  }
  const withoutGroundTruth = predNames.filter((name) => !gtSet.has(name));
  if (withoutGroundTruth.length > 0) {
    throw new LabelFileError(
      join(gtDir, withoutGroundTruth[0]!),
      undefined,
      `missing: no ground-truth file for prediction ${join(predDir, withoutGroundTruth[0]!)} (${withoutGroundTruth.length} missing: ${listNames(withoutGroundTruth)})`,
    );
  }
  return gtNames.map((name) => {
    const gtFile = join(gtDir, name);
    const predFile = join(predDir, name);
    const gt = readLabelFile(gtFile, vocabulary);
    const pred = readLabelFile(predFile, vocabulary);
    if (pred.length !== gt.length) {
      throw new LabelFileError(
        predFile,
        undefined,
        `${pred.length} frames, but ground truth ${gtFile} has ${gt.length} (expected one predicted label per ground-truth frame)`,
      );
    }
    return { name, gt, pred };
  });
}
