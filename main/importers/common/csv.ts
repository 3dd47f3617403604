// CSV reading for dataset metadata (RFC 4180: quoted fields with commas, doubled quotes and line breaks; CRLF or
// LF line ends; a BOM is skipped). Every record keeps the line it starts on, and a missing column or a record of
// the wrong width is an ImportFormatError naming the file and line.
import { readFileSync } from 'node:fs';
import { ImportFormatError } from './errors';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  file: string;
  header: string[];
  records: CsvRecord[];
}

/** Splits CSV text into records of cells; the first record is the header. */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let atRecordStart = true;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    cells.push(cell);
    // A blank line is no record.
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    atRecordStart = true;
  };
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (atRecordStart) {
      recordLine = line;
      atRecordStart = false;
    }
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
    } else cell += ch;
  }
  if (quoted) throw new ImportFormatError(`${file}:${recordLine}`, 'a quoted field is not closed before the end of the file');
  if (!atRecordStart || cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** Reads a CSV file with a header row and checks that every `required` column is there (in any order). */
export function readCsvTable(file: string, required: readonly string[], displayName = file): CsvTable {
  const records = parseCsvRecords(readFileSync(file, 'utf8'), displayName);
  const headerRecord = records.shift();
  if (!headerRecord) throw new ImportFormatError(displayName, `empty file: expected a header with columns ${required.join(', ')}`);
  const header = headerRecord.cells.map((c) => c.trim());
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new ImportFormatError(
      `${displayName}:${headerRecord.line}`,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected ${required.join(', ')}; found ${header.join(', ')})`,
    );
  }
  for (const record of records) {
    if (record.cells.length !== header.length) {
      throw new ImportFormatError(
        `${displayName}:${record.line}`,
        `expected ${header.length} fields as in the header, got ${record.cells.length}`,
      );
    }
  }
  return { file: displayName, header, records };
}

/** Column accessor for a table: `get(record, 'video')`. */
export function columnReader(table: CsvTable): (record: CsvRecord, column: string) => string {
  const index = new Map(table.header.map((name, i) => [name, i]));
  return (record, column) => {
    const i = index.get(column);
    if (i === undefined) throw new ImportFormatError(table.file, `no column ${column}`);
    return record.cells[i]!;
  };
}

/** A non-negative integer cell, or an error naming file, line and column. */
export function integerCell(table: CsvTable, record: CsvRecord, column: string, text: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new ImportFormatError(`${table.file}:${record.line}`, `${column}: expected a non-negative integer, got ${JSON.stringify(text)}`);
  }
  return value;
}
