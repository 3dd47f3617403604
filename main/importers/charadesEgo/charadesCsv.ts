// Charades-Ego's annotation CSVs (CharadesEgo_v1_{train,test}[_only1st|_only3rd].csv): one row per video with
// columns id, subject, scene, quality, relevance, verified, script, objects, descriptions, actions, length,
// egocentric, charades_video. `actions` is `c092 11.90 21.20;c147 0.00 12.60` (class, start s, end s).
import { basename } from 'node:path';
import { columnReader, readCsvTable } from '../common/csv';
import { ImportFormatError } from '../common/errors';

export const CHARADES_EGO_COLUMNS = [
  'id', 'subject', 'scene', 'quality', 'relevance', 'verified', 'script', 'objects', 'descriptions', 'actions', 'length',
  'egocentric', 'charades_video',
] as const;

export interface CharadesAction {
  label: string;
  startS: number;
  endS: number;
}

export interface CharadesVideo {
  id: string;
  split: 'train' | 'test';
  egocentric: boolean;
  scene: string;
  lengthS: number | null;
  actions: CharadesAction[];
  /** Where the row is, for messages. */
  where: string;
}

export const CSV_FILE = /^CharadesEgo_v1_(train|test)(?:_only1st|_only3rd)?\.csv$/;

/** Parses an `actions` cell; an empty cell is no actions. */
export function parseActions(text: string, where: string): CharadesAction[] {
  if (text.trim() === '') return [];
  return text.split(';').map((part) => {
    const match = /^\s*(c\d{3})\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match) throw new ImportFormatError(where, `actions: expected "c092 11.90 21.20" entries separated by ";", got ${JSON.stringify(part)}`);
    const startS = Number(match[2]);
    const endS = Number(match[3]);
    if (endS < startS) throw new ImportFormatError(where, `actions: ${match[1]} ends (${endS} s) before it starts (${startS} s)`);
    return { label: match[1]!, startS, endS };
  });
}

/** The rows of one CSV; the split comes from its file name. */
export function readCharadesEgoCsv(file: string): CharadesVideo[] {
  const split = CSV_FILE.exec(basename(file))?.[1] as 'train' | 'test' | undefined;
  if (!split) throw new ImportFormatError(file, 'expected a file named CharadesEgo_v1_{train,test}[_only1st|_only3rd].csv');
  const table = readCsvTable(file, CHARADES_EGO_COLUMNS);
  const get = columnReader(table);
  return table.records.map((record) => {
    const where = `${file}:${record.line}`;
    const id = get(record, 'id').trim();
    if (!/^[A-Za-z0-9]+$/.test(id)) throw new ImportFormatError(where, `id: expected letters and digits, got ${JSON.stringify(id)}`);
    const lengthText = get(record, 'length').trim();
    const lengthS = lengthText === '' ? null : Number(lengthText);
    if (lengthS !== null && !(lengthS >= 0)) throw new ImportFormatError(where, `length: expected seconds >= 0, got ${JSON.stringify(lengthText)}`);
    const egocentric = get(record, 'egocentric').trim().toLowerCase();
    return {
      id,
      split,
      egocentric: egocentric === 'yes' || egocentric === 'true' || egocentric === '1' || id.endsWith('EGO'),
      scene: get(record, 'scene').trim(),
      lengthS,
      actions: parseActions(get(record, 'actions'), where),
      where,
    };
  });
}
