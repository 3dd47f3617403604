// CSV reading for dataset metadata (RFC 4180: quoted fields with commas, doubled quotes and line breaks; CRLF or
// LF line ends; a BOM is skipped). The file is streamed line by line (formats/textLines.ts), so a huge or binary file
// fails fast naming the file and line. Every record keeps the line it starts on, and a missing column or a record of
// the wrong width is an ImportFormatError naming the file and line.
import { MAX_LINE_BYTES, readTextLines, type TextLine, type TextLineOptions } from '../../formats/textLines';
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

/** The records of CSV lines; a quoted field may run over several lines, up to `maxRecordChars` in all. */
export function* csvRecords(lines: Iterable<TextLine>, file: string, maxRecordChars = MAX_LINE_BYTES): Generator<CsvRecord, void, undefined> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let recordLine = 1;
  let recordChars = 0;
  for (const { text, line } of lines) {
    if (!quoted) {
      recordLine = line;
      recordChars = 0;
    } else {
      // A line break inside a quoted field is part of the field.
      cell += '\n';
    }
    recordChars += text.length + 1;
    if (recordChars > maxRecordChars) {
      throw new ImportFormatError(`${file}:${recordLine}`, `a quoted field is not closed within ${maxRecordChars} characters`);
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted) {
        if (ch !== '"') cell += ch;
        else if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else if (ch === '"' && cell === '') quoted = true;
      else if (ch === ',') {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    if (quoted) continue;
    cells.push(cell);
    // A blank line is no record.
    if (!(cells.length === 1 && cells[0] === '')) yield { line: recordLine, cells };
    cells = [];
    cell = '';
  }
  if (quoted) throw new ImportFormatError(`${file}:${recordLine}`, 'a quoted field is not closed before the end of the file');
}

/** Reads a CSV file with a header row and checks that every `required` column is there (in any order). */
export function readCsvTable(file: string, required: readonly string[], displayName = file, options: TextLineOptions = {}): CsvTable {
  const records = csvRecords(readTextLines(file, { ...options, name: displayName }), displayName, options.maxLineBytes);
  const first = records.next();
  if (first.done) throw new ImportFormatError(displayName, `empty file: expected a header with columns ${required.join(', ')}`);
  const headerRecord = first.value;
  const header = headerRecord.cells.map((c) => c.trim());
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    records.return();
    throw new ImportFormatError(
      `${displayName}:${headerRecord.line}`,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected ${required.join(', ')}; found ${header.slice(0, 20).join(', ')})`,
    );
  }
  const rows: CsvRecord[] = [];
  for (const record of records) {
    if (record.cells.length !== header.length) {
      throw new ImportFormatError(
        `${displayName}:${record.line}`,
        `expected ${header.length} fields as in the header, got ${record.cells.length}`,
      );
    }
    rows.push(record);
  }
  return { file: displayName, header, records: rows };
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
