// The streaming line reader: lines across chunk boundaries, CRLF and BOM, and text that is not line-structured
// (an overlong line, binary data, invalid UTF-8) refused at once, naming file, line and offset, having read no
// more than one chunk past the limit.
import { closeSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextLines, textLines, TextFileError } from '../../../main/formats/textLines';
import { useTempDir } from '../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();

function file(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

function caught(read: () => unknown): TextFileError {
  try {
    read();
  } catch (error) {
    if (error instanceof TextFileError) return error;
    throw error;
  }
  throw new Error('expected a TextFileError');
}

describe('readTextLines', () => {
  it('gives the same lines whatever the chunk size, without line ends, BOM or a last empty line', () => {
    const path = file('a.txt', '\ufeffalpha\r\nbeta\n\ngamma δ\nlast');
    const expected = [
      { text: 'alpha', line: 1 },
      { text: 'beta', line: 2 },
      { text: '', line: 3 },
      { text: 'gamma δ', line: 4 },
      { text: 'last', line: 5 },
    ];
    for (const chunkBytes of [1, 2, 3, 7, 64, 65536]) expect([...readTextLines(path, { chunkBytes })]).toEqual(expected);
    expect([...readTextLines(file('b.txt', 'x\n'))]).toEqual([{ text: 'x', line: 1 }]);
    expect([...readTextLines(file('empty.txt', ''))]).toEqual([]);
  });

  it('stops at a line over the limit after reading at most one chunk past it, naming file, line and offset', () => {
    // 8 MiB on line 2 against a 256 KiB limit: the reader must fail long before the end of the line.
    const path = join(tempDir(), 'long.txt');
    const fd = openSync(path, 'w');
    writeSync(fd, 'short\n');
    const block = Buffer.alloc(1 << 20, 'a');
    for (let i = 0; i < 8; i++) writeSync(fd, block);
    closeSync(fd);
    const chunkBytes = 1 << 16;
    let linesSeen = 0;
    const error = caught(() => {
      for (const _ of readTextLines(path, { maxLineBytes: 1 << 18, chunkBytes })) linesSeen++;
    });
    expect(linesSeen).toBe(1);
    expect(error.message).toBe(`${path}:2: line longer than 262144 bytes: expected a text file with short lines (byte offset ${6 + (1 << 18)})`);
    expect(error.offset).toBeLessThanOrEqual(6 + (1 << 18) + chunkBytes);
  });

  it('refuses binary data at its first NUL byte, even in a 1 GB file', () => {
    // A sparse 1 GB file of zero bytes takes no disk space; the reader must stop in its first chunk.
    const path = join(tempDir(), 'huge.txt');
    writeFileSync(path, 'label\n');
    truncateSync(path, 1 << 30);
    const error = caught(() => [...readTextLines(path)]);
    expect(error.message).toBe(`${path}:2: binary data (a NUL byte): expected a text file (byte offset 6)`);
  });

  it('refuses bytes that are not UTF-8, naming the line', () => {
    const path = file('latin1.txt', Buffer.from([0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(caught(() => [...readTextLines(path)]).message).toBe(`${path}:2: not UTF-8 text (byte offset 2)`);
  });

  it('names the file by the given name', () => {
    const path = file('named.txt', 'a\u0000');
    expect(caught(() => [...readTextLines(path, { name: 'labels/x.txt' })]).message).toMatch(/^labels\/x\.txt:1: binary data/);
  });
});

describe('textLines', () => {
  it('splits text in memory as the file reader splits files', () => {
    expect([...textLines('a\r\nb\n\nc', 'text')]).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 2 },
      { text: '', line: 3 },
      { text: 'c', line: 4 },
    ]);
  });

  it('applies the same limits', () => {
    expect(caught(() => [...textLines(`ok\n${'x'.repeat(100)}\n`, 'arguments.text', { maxLineBytes: 10 })]).message).toBe(
      'arguments.text:2: line longer than 10 bytes: expected a text file with short lines (byte offset 13)',
    );
    expect(caught(() => [...textLines('a\nb\u0000c', 'arguments.text')]).message).toBe('arguments.text:2: binary data (a NUL byte): expected a text file (byte offset 3)');
  });
});
