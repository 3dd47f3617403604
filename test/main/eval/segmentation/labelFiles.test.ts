// Reading MS-TCN label folders and mapping files: pairing by file name, trailing newlines and CRLF, and errors that
// name the file, line and what was expected.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../contract/errors';
import { LabelFileError, readLabelFile, readLabelFolder, readMappingFile } from '../../../../main/eval/segmentation/labelFiles';

let root: string;
let gtDir: string;
let predDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'evgap-labels-'));
  gtDir = join(root, 'groundTruth');
  predDir = join(root, 'pred');
  mkdirSync(gtDir);
  mkdirSync(predDir);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(dir: string, name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
}

describe('readLabelFile', () => {
  it('reads one label per line, with or without a final newline, CRLF included', () => {
    expect(readLabelFile(write(root, 'a.txt', 'take\ntake\nput'))).toEqual(['take', 'take', 'put']);
    expect(readLabelFile(write(root, 'b.txt', 'take\r\nput\r\n\r\n'))).toEqual(['take', 'put']);
  });

  it('rejects an empty line before the last label, naming file and line', () => {
    const file = write(root, 'gap.txt', 'take\n\nput\n');
    expect(() => readLabelFile(file)).toThrow(new LabelFileError(file, 2, 'empty line before the last label (expected one label per line, one line per frame)'));
  });

  it('rejects a file without labels', () => {
    const file = write(root, 'empty.txt', '\n');
    expect(() => readLabelFile(file)).toThrow(`${file}: no labels (expected one label per frame)`);
  });

  it('rejects a label outside the vocabulary, naming file and line', () => {
    const file = write(root, 'v.txt', 'take\nput\njump\n');
    expect(() => readLabelFile(file, new Set(['take', 'put']))).toThrow(`${file}:3: label "jump" is not in the vocabulary (2 labels)`);
  });
});

describe('readLabelFile on files that are not label files', () => {
  it('refuses a binary file at its first NUL byte, naming file and line', () => {
    const file = write(root, 'bin.txt', Buffer.from([0x74, 0x61, 0x6b, 0x65, 0x0a, 0x00, 0x01, 0x02]) as unknown as string);
    expect(() => readLabelFile(file)).toThrow(new LabelFileError(file, 2, 'binary data (a NUL byte): expected a text file (byte offset 5)'));
  });

  it('refuses a line over the limit without reading the rest of the file', () => {
    const file = write(root, 'long.txt', `take\n${'x'.repeat(200_000)}\n`);
    expect(() => readLabelFile(file, undefined, { maxLineBytes: 1000, chunkBytes: 256 })).toThrow(
      new LabelFileError(file, 2, 'line longer than 1000 bytes: expected a text file with short lines (byte offset 1005)'),
    );
  });

  it('refuses more frames than the limit, naming the first line past it', () => {
    const file = write(root, 'many.txt', 'a\n'.repeat(11));
    expect(() => readLabelFile(file, undefined, { maxFrames: 10 })).toThrow(
      new LabelFileError(file, 11, 'more than 10 frames (expected one label per frame of one video)'),
    );
  });

  it('refuses a folder given as a file', () => {
    expect(() => readLabelFile(gtDir)).toThrow(new LabelFileError(gtDir, undefined, 'expected a label file, got a folder'));
  });
});

describe('readMappingFile', () => {
  it('reads "index label" lines in index order, labels with spaces included', () => {
    expect(readMappingFile(write(root, 'mapping.txt', '1 put down\n0 take\n2 background\n'))).toEqual(['take', 'put down', 'background']);
  });

  it('rejects malformed lines, repeated indices and repeated labels', () => {
    const file = join(root, 'mapping.txt');
    write(root, 'mapping.txt', '0 take\ntake 1\n');
    expect(() => readMappingFile(file)).toThrow(`${file}:2: expected "index label", got "take 1"`);
    write(root, 'mapping.txt', '0 take\n0 put\n');
    expect(() => readMappingFile(file)).toThrow(`${file}:2: index 0 appears twice`);
    write(root, 'mapping.txt', '0 take\n1 take\n');
    expect(() => readMappingFile(file)).toThrow(`${file}:2: label "take" appears twice`);
  });

  it('says which mapping file is missing', () => {
    expect(() => readMappingFile(join(root, 'nope.txt'))).toThrow(NotFoundError);
  });
});

describe('readLabelFolder', () => {
  it('pairs files by name in sorted order and ignores hidden files and subfolders', () => {
    write(gtDir, 'b.txt', 'x\ny\n');
    write(predDir, 'b.txt', 'x\nx\n');
    write(gtDir, 'a.txt', 'y\n');
    write(predDir, 'a.txt', 'y\n');
    write(gtDir, '.DS_Store', 'junk');
    mkdirSync(join(predDir, 'logs'));
    expect(readLabelFolder(gtDir, predDir)).toEqual([
      { name: 'a.txt', gt: ['y'], pred: ['y'] },
      { name: 'b.txt', gt: ['x', 'y'], pred: ['x', 'x'] },
    ]);
  });

  it('names the missing prediction file and its ground truth', () => {
    write(gtDir, 'a.txt', 'x\n');
    write(gtDir, 'b.txt', 'x\n');
    write(predDir, 'a.txt', 'x\n');
    expect(() => readLabelFolder(gtDir, predDir)).toThrow(
      `${join(predDir, 'b.txt')}: missing: no prediction file for ground truth ${join(gtDir, 'b.txt')} (1 missing: b.txt)`,
    );
  });

  it('names a prediction file without ground truth', () => {
    write(gtDir, 'a.txt', 'x\n');
    write(predDir, 'a.txt', 'x\n');
    write(predDir, 'extra.txt', 'x\n');
    expect(() => readLabelFolder(gtDir, predDir)).toThrow(`no ground-truth file for prediction ${join(predDir, 'extra.txt')}`);
  });

  it('names both files and both lengths when they differ', () => {
    write(gtDir, 'a.txt', 'x\nx\nx\n');
    write(predDir, 'a.txt', 'x\nx\n');
    expect(() => readLabelFolder(gtDir, predDir)).toThrow(
      `${join(predDir, 'a.txt')}: 2 frames, but ground truth ${join(gtDir, 'a.txt')} has 3 (expected one predicted label per ground-truth frame)`,
    );
  });

  it('checks both folders against the vocabulary', () => {
    write(gtDir, 'a.txt', 'x\n');
    write(predDir, 'a.txt', 'z\n');
    expect(() => readLabelFolder(gtDir, predDir, { vocabulary: ['x', 'y'] })).toThrow(`${join(predDir, 'a.txt')}:1: label "z" is not in the vocabulary`);
  });

  it('rejects a missing or empty ground-truth folder', () => {
    expect(() => readLabelFolder(join(root, 'nope'), predDir)).toThrow(new NotFoundError(`ground-truth folder not found: ${join(root, 'nope')}`));
    expect(() => readLabelFolder(gtDir, predDir)).toThrow(`${gtDir}: no label files in the ground-truth folder`);
  });
});
