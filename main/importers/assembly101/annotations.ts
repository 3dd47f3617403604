// Readers of Assembly101's annotation files: action vocabularies (coarse_actions.csv, fine_actions.csv), coarse
// label files (`start_frame end_frame action_cls` per line, 30 fps, half-open), coarse splits (tab-separated, the
// label file name in column 0) and fine-grained segment CSVs (`video` = `{sequence}/{view}.mp4`). Every file is
// streamed line by line (formats/textLines.ts) and every format error names the file and line.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { coarseLabelLines } from '../../annotations/coarseLabels';
import type { SegmentImportSpec, VocabularyImportSpec } from '../../catalog/importSpec';
import { readTextLines } from '../../formats/textLines';
import { columnReader, integerCell, readCsvTable } from '../common/csv';
import { ImportFormatError } from '../common/errors';
import type { ReportBuilder } from '../common/validationReport';

export type CoarsePart = 'assembly' | 'disassembly';
export const COARSE_PARTS: readonly CoarsePart[] = ['assembly', 'disassembly'];
export type Split = 'train' | 'val' | 'test';

export interface ActionClass {
  label: string;
  verb: string;
  object: string;
}

const COARSE_ACTION_COLUMNS = ['action_id', 'verb_id', 'noun_id', 'action_cls', 'verb_cls', 'noun_cls'] as const;
const FINE_SEGMENT_COLUMNS = [
  'video', 'start_frame', 'end_frame', 'action_id', 'verb_id', 'noun_id', 'action_cls', 'verb_cls', 'noun_cls',
] as const;

/** An action vocabulary in class-id order (action_id), keyed by its label. */
export function readActionClasses(file: string): Map<string, ActionClass> {
  const table = readCsvTable(file, COARSE_ACTION_COLUMNS);
  const get = columnReader(table);
  const rows = table.records.map((record) => ({
    id: integerCell(table, record, 'action_id', get(record, 'action_id')),
    line: record.line,
    label: get(record, 'action_cls').trim(),
    verb: get(record, 'verb_cls').trim(),
    object: get(record, 'noun_cls').trim(),
  }));
  rows.sort((a, b) => a.id - b.id);
  const classes = new Map<string, ActionClass>();
  for (const row of rows) {
    if (row.label === '') throw new ImportFormatError(`${file}:${row.line}`, 'action_cls: expected a label, got an empty cell');
    if (classes.has(row.label)) throw new ImportFormatError(`${file}:${row.line}`, `action_cls: duplicate label ${JSON.stringify(row.label)}`);
    classes.set(row.label, { label: row.label, verb: row.verb, object: row.object });
  }
  return classes;
}

export function vocabularyOf(name: string, classes: Map<string, ActionClass>): VocabularyImportSpec {
  return { name, labels: [...classes.values()].map(({ label, verb, object }) => ({ label, verb, object })) };
}

/** `{part}_{sequence}.txt` → its part and sequence, or undefined. */
export function parseCoarseFileName(name: string): { part: CoarsePart; sequence: string } | undefined {
  const match = /^(assembly|disassembly)_(.+)\.txt$/.exec(name);
  return match ? { part: match[1] as CoarsePart, sequence: match[2]! } : undefined;
}

/** The segments of one coarse label file; labels must be in `classes` when given. */
export function readCoarseLabelFile(file: string, classes?: Map<string, ActionClass>): SegmentImportSpec[] {
  const segments: SegmentImportSpec[] = [];
  const fail = (line: number, problem: string): never => {
    throw new ImportFormatError(`${file}:${line}`, problem);
  };
  for (const { line, startFrame, endFrame, label } of coarseLabelLines(readTextLines(file), fail)) {
    if (endFrame <= startFrame) fail(line, `expected end_frame > start_frame, got ${startFrame} ${endFrame}`);
    const action = classes?.get(label);
    if (classes && !action) fail(line, `action ${JSON.stringify(label)} is not in the coarse action list`);
    const origin = { track: file, where: `${file}:${line}` };
    segments.push({ startFrame, endFrame, label, verb: action?.verb ?? null, object: action?.object ?? null, origin });
  }
  return segments;
}

const SPLIT_FILE = /^(train|val|validation|test)_coarse_(assembly|disassembly)\.txt$/;

/** Sequence → split from the coarse split files; a sequence listed in two splits is reported, the first kept. */
export function readCoarseSplits(folder: string, report: ReportBuilder): Map<string, Split> {
  const splits = new Map<string, Split>();
  const files = readdirSync(folder).filter((name) => SPLIT_FILE.test(name)).sort();
  for (const name of files) {
    const match = SPLIT_FILE.exec(name)!;
    const split: Split = match[1] === 'validation' ? 'val' : (match[1] as Split);
    const file = join(folder, name);
    for (const { text, line } of readTextLines(file)) {
      if (text.trim() === '') continue;
      const labelFile = text.split('\t')[0]!.trim();
      const parsed = parseCoarseFileName(labelFile);
      if (!parsed) {
        throw new ImportFormatError(`${file}:${line}`, `expected a label file name {assembly,disassembly}_{sequence}.txt in column 0, got ${JSON.stringify(labelFile.slice(0, 200))}`);
      }
      const known = splits.get(parsed.sequence);
      if (known === undefined) splits.set(parsed.sequence, split);
      else if (known !== split) {
        report.add({
          kind: 'splitConflict',
          scene: parsed.sequence,
          message: `${basename(file)}:${line} puts it in ${split}, an earlier split file in ${known}; kept ${known}`,
        });
      }
    }
  }
  return splits;
}

/** Sequence → fine-grained segments (each distinct segment once, whichever view it was annotated on). */
export function readFineSegments(files: readonly string[], classes?: Map<string, ActionClass>): Map<string, SegmentImportSpec[]> {
  const bySequence = new Map<string, Map<string, SegmentImportSpec>>();
  for (const file of files) {
    const table = readCsvTable(file, FINE_SEGMENT_COLUMNS);
    const get = columnReader(table);
    for (const record of table.records) {
      const where = `${file}:${record.line}`;
      const video = get(record, 'video').trim();
      const sequence = /^([^/]+)\/[^/]+\.mp4$/.exec(video)?.[1];
      if (!sequence) throw new ImportFormatError(where, `video: expected "{sequence}/{view}.mp4", got ${JSON.stringify(video)}`);
      const startFrame = integerCell(table, record, 'start_frame', get(record, 'start_frame'));
      const endFrame = integerCell(table, record, 'end_frame', get(record, 'end_frame'));
      if (endFrame <= startFrame) throw new ImportFormatError(where, `expected end_frame > start_frame, got ${startFrame} ${endFrame}`);
      const label = get(record, 'action_cls').trim();
      if (classes && !classes.has(label)) throw new ImportFormatError(where, `action_cls ${JSON.stringify(label)} is not in the fine-grained action list`);
      const segment = { startFrame, endFrame, label, verb: get(record, 'verb_cls').trim(), object: get(record, 'noun_cls').trim(), origin: { track: 'fine-grained', where } };
      let segments = bySequence.get(sequence);
      if (!segments) bySequence.set(sequence, (segments = new Map()));
      segments.set(`${startFrame}:${endFrame}:${label}`, segment);
    }
  }
  return new Map(
    [...bySequence].map(([sequence, segments]) => [sequence, [...segments.values()].sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame)]),
  );
}

/** Sequence → on-disk view names that have a video, from coarse_seq_views.txt. */
export function readSequenceViews(file: string): Map<string, Set<string>> {
  const views = new Map<string, Set<string>>();
  for (const { text, line } of readTextLines(file)) {
    if (text.trim() === '') continue;
    const match = /^(assembly|disassembly)_([^/]+)\/([^/]+)\.mp4$/.exec(text.trim());
    if (!match) throw new ImportFormatError(`${file}:${line}`, `expected "{assembly,disassembly}_{sequence}/{view}.mp4", got ${JSON.stringify(text.slice(0, 200))}`);
    let set = views.get(match[2]!);
    if (!set) views.set(match[2]!, (set = new Set()));
    set.add(match[3]!);
  }
  return views;
}
