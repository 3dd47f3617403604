// Line-by-line reading of text that comes from outside (label files, CSVs, split and name lists, annotation text):
// a file is read in fixed-size chunks and handed on one line at a time, so memory stays at one chunk plus one line
// whatever the file's size. A line longer than the limit, a NUL byte (binary data) or bytes that are not UTF-8 stop
// the reading at once with a TextFileError naming the file, the line and the byte offset. Lines end at '\n'; a
// '\r' before it (CRLF files) and a UTF-8 byte order mark at the start are dropped.
import { closeSync, openSync, readSync } from 'node:fs';

/** The longest line accepted by default (1 MiB): far above any label or CSV row, far below a whole file. */
export const MAX_LINE_BYTES = 1 << 20;
/** Bytes read from the file at a time. */
export const LINE_CHUNK_BYTES = 1 << 16;

export interface TextLine {
  /** The line without its line end. */
  text: string;
  /** 1-based line number. */
  line: number;
}

export interface TextLineOptions {
  /** Longest line accepted, in bytes (default MAX_LINE_BYTES). */
  maxLineBytes?: number;
  /** Bytes per read (default LINE_CHUNK_BYTES). */
  chunkBytes?: number;
}

/** The file (or text) is not line-structured text within the limits; the message names it, the line and the byte offset. */
export class TextFileError extends Error {
  override name = 'TextFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    /** Byte offset in the file where the problem was found. */
    readonly offset: number,
    /** What is wrong, without the file and line. */
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem} (byte offset ${offset})`);
  }
}

function lineTooLong(file: string, line: number, offset: number, maxLineBytes: number): TextFileError {
  return new TextFileError(file, line, offset, `line longer than ${maxLineBytes} bytes: expected a text file with short lines`);
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const NUL = 0x00;

function checkedOptions(options: TextLineOptions): { maxLineBytes: number; chunkBytes: number } {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const chunkBytes = options.chunkBytes ?? LINE_CHUNK_BYTES;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`expected maxLineBytes >= 1, got ${maxLineBytes}`);
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`expected chunkBytes >= 1, got ${chunkBytes}`);
  return { maxLineBytes, chunkBytes };
}

/** Collects one line's bytes across chunks and decodes it once complete. */
class LineAssembler {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #parts: Buffer[] = [];
  #length = 0;
  line = 1;
  /** File offset of the current line's first byte. */
  lineStart = 0;

  constructor(
    readonly file: string,
    readonly maxLineBytes: number,
  ) {}

  append(bytes: Buffer, offset: number): void {
    const nul = bytes.indexOf(NUL);
    if (nul >= 0) throw new TextFileError(this.file, this.line, offset + nul, 'binary data (a NUL byte): expected a text file');
    this.#length += bytes.length;
    // The '\r' of a CRLF line end is not part of the line, so it may take the limit's last byte.
    const endsInReturn = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN;
    if (this.#length - (endsInReturn ? 1 : 0) > this.maxLineBytes) {
      throw lineTooLong(this.file, this.line, this.lineStart + this.maxLineBytes, this.maxLineBytes);
    }
    if (bytes.length > 0) this.#parts.push(Buffer.from(bytes));
  }

  /** Ends the current line (at a '\n' at file offset `end`, or at the end of the file) and returns it. */
  finish(end: number): TextLine {
    let bytes = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#length);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    if (this.line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    let text: string;
    try {
      text = this.#decoder.decode(bytes);
    } catch {
      throw new TextFileError(this.file, this.line, this.lineStart, 'not UTF-8 text');
    }
    const done = { text, line: this.line };
    this.#parts = [];
    this.#length = 0;
    this.line++;
    this.lineStart = end + 1;
    return done;
  }

  get pending(): number {
    return this.#length;
  }
}

/** The lines of `file`, read a chunk at a time; `name` (default the path) names it in errors. */
export function* readTextLines(file: string, options: TextLineOptions & { name?: string } = {}): Generator<TextLine, void, undefined> {
  const { maxLineBytes, chunkBytes } = checkedOptions(options);
  const name = options.name ?? file;
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    const lines = new LineAssembler(name, maxLineBytes);
    let position = 0;
    for (;;) {
      const count = readSync(fd, chunk, 0, chunkBytes, position);
      if (count === 0) break;
      const read = chunk.subarray(0, count);
      let start = 0;
      while (start < count) {
        const newline = read.indexOf(NEWLINE, start);
        const end = newline < 0 ? count : newline;
        lines.append(read.subarray(start, end), position + start);
        if (end === count) break;
        yield lines.finish(position + end);
        start = end + 1;
      }
      position += count;
    }
    // A last line without '\n' is a line; the empty rest after a final '\n' is not.
    if (lines.pending > 0) yield lines.finish(position);
  } finally {
    closeSync(fd);
  }
}

/** The lines of text already in memory (e.g. an annotation file the UI sent), with the same limits and errors. */
export function* textLines(text: string, name: string, options: TextLineOptions = {}): Generator<TextLine, void, undefined> {
  const { maxLineBytes } = checkedOptions(options);
  const lines = new LineAssembler(name, maxLineBytes);
  let start = 0;
  let offset = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    // UTF-8 takes at least one byte per UTF-16 code unit: a line this long is too long before it is encoded.
    if (end - start > maxLineBytes) {
      throw lineTooLong(name, lines.line, offset + maxLineBytes, maxLineBytes);
    }
    const bytes = Buffer.from(text.slice(start, end), 'utf8');
    lines.append(bytes, offset);
    offset += bytes.length;
    if (newline < 0) break;
    yield lines.finish(offset);
    offset += 1;
    start = end + 1;
  }
  if (lines.pending > 0) yield lines.finish(offset);
}
