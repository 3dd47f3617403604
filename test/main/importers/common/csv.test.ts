// The CSV reader of dataset metadata, streamed line by line: RFC 4180 quoting across lines, CRLF and BOM, and
// files that are not CSV (binary, unclosed quotes, overlong rows, wrong widths) refused naming file and line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../../../main/importers/common/csv';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();

function csv(content: string | Buffer): string {
  const path = join(tempDir(), 'table.csv');
  writeFileSync(path, content);
  return path;
}

describe('readCsvTable', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, keeping each record\'s first line', () => {
    const file = csv('\ufeffid,text\r\n1,"a, ""b""\r\nc"\r\n\r\n2,plain\r\n');
    expect(readCsvTable(file, ['id', 'text'])).toEqual({
      file,
      header: ['id', 'text'],
      records: [
        { line: 2, cells: ['1', 'a, "b"\nc'] },
        { line: 5, cells: ['2', 'plain'] },
      ],
    });
  });

  it('names file and line for a missing column, a wrong width and an unclosed quote', () => {
    expect(() => readCsvTable(csv('id,name\n1,a\n'), ['id', 'text'])).toThrow(/table\.csv:1: missing column text \(expected id, text; found id, name\)/);
    expect(() => readCsvTable(csv('id,text\n1,a\n2\n'), ['id', 'text'])).toThrow(/table\.csv:3: expected 2 fields as in the header, got 1/);
    expect(() => readCsvTable(csv('id,text\n1,"open\n2,b\n'), ['id', 'text'])).toThrow(/table\.csv:2: a quoted field is not closed before the end of the file/);
    expect(() => readCsvTable(csv(''), ['id'])).toThrow(/table\.csv: empty file: expected a header with columns id/);
  });

  it('refuses binary data and rows over the limit at once, naming the line', () => {
    expect(() => readCsvTable(csv(Buffer.from('id,text\n1,a\u0000b\n')), ['id', 'text'])).toThrow(/table\.csv:2: binary data \(a NUL byte\)/);
    expect(() => readCsvTable(csv(`id,text\n1,${'x'.repeat(5000)}\n`), ['id', 'text'], undefined, { maxLineBytes: 1000 })).toThrow(
      /table\.csv:2: line longer than 1000 bytes/,
    );
    const unclosed = `id,text\n1,"${'y\n'.repeat(2000)}`;
    expect(() => readCsvTable(csv(unclosed), ['id', 'text'], undefined, { maxLineBytes: 1000 })).toThrow(
      /table\.csv:2: a quoted field is not closed within 1000 characters/,
    );
  });
});
