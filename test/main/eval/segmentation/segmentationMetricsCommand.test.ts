// `evgap segmentation-metrics` run in-process on temporary label folders: text and JSON output, background and
// mapping options, and how file and usage errors end (exit 1 and 2, one message on stderr).
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSegmentationMetrics, segmentationMetricsCommand } from '../../../../main/cli/commands/segmentationMetrics';

let root: string;
let gtDir: string;
let predDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'evgap-segcli-'));
  gtDir = join(root, 'groundTruth');
  predDir = join(root, 'pred');
  mkdirSync(gtDir);
  mkdirSync(predDir);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function writeVideo(name: string, gt: string[], pred: string[]): void {
  writeFileSync(join(gtDir, name), gt.join('\n') + '\n');
  writeFileSync(join(predDir, name), pred.join('\n') + '\n');
}

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runSegmentationMetrics(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** GT A×10 → predicted A×4 B×6: F1 66.67/66.67/0, Edit 50, Acc 40 (hand-worked in metrics.test.ts). */
function writeHalfCoveredVideo(): void {
  writeVideo('v1.txt', Array(10).fill('A'), [...Array(4).fill('A'), ...Array(6).fill('B')]);
}

describe('evgap segmentation-metrics', () => {
  it('prints the five metrics and their average as text', () => {
    writeHalfCoveredVideo();
    const result = run(['--gt', gtDir, '--pred', predDir]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')).toEqual([
      '1 videos, 10 frames; segments: 1 ground truth, 2 predicted; background: none',
      'F1@10  66.6667',
      'F1@25  66.6667',
      'F1@50  0.0000',
      'Edit   50.0000',
      'Acc    40.0000',
      'Avg    44.6667',
      '',
    ]);
  });

  it('prints exactly the six percentages with --json', () => {
    writeHalfCoveredVideo();
    const result = run(['--gt', gtDir, '--pred', predDir, '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, number>;
    expect(Object.keys(json)).toEqual(['f1_10', 'f1_25', 'f1_50', 'edit', 'acc', 'avg']);
    expect(json.f1_10).toBeCloseTo(200 / 3, 10);
    expect(json.f1_50).toBe(0);
    expect(json.edit).toBe(50);
    expect(json.acc).toBe(40);
  });

  it('drops every --background label from F1 and Edit but not from accuracy', () => {
    writeVideo('v1.txt', ['bg', 'sil', 'A', 'A'], ['bg', 'bg', 'A', 'A']);
    const result = run(['--gt', gtDir, '--pred', predDir, '--background', 'bg', '--background', 'sil', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ f1_10: 100, f1_25: 100, f1_50: 100, edit: 100, acc: 75, avg: 95 });
  });

  it('warns when Edit is undefined because a video has only background', () => {
    writeVideo('v1.txt', ['bg', 'bg'], ['bg', 'bg']);
    const result = run(['--gt', gtDir, '--pred', predDir, '--background', 'bg', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Edit is undefined (NaN, as in eval.py) for videos with only background in both files: v1.txt');
    expect(JSON.parse(result.stdout)).toMatchObject({ f1_10: 0, edit: null, acc: 100, avg: null });
  });

  it('checks labels against --mapping', () => {
    writeFileSync(join(root, 'mapping.txt'), '0 A\n1 B\n');
    writeVideo('v1.txt', ['A', 'B'], ['A', 'C']);
    const result = run(['--gt', gtDir, '--pred', predDir, '--mapping', join(root, 'mapping.txt')]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `evgap: ${join(predDir, 'v1.txt')}:2: label "C" is not in the vocabulary (2 labels)\n` });
  });

  it('rejects a --background label that the mapping does not have', () => {
    writeFileSync(join(root, 'mapping.txt'), '0 A\n');
    writeVideo('v1.txt', ['A'], ['A']);
    const result = run(['--gt', gtDir, '--pred', predDir, '--mapping', join(root, 'mapping.txt'), '--background', 'background']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--background: "background" is not a label of ${join(root, 'mapping.txt')}`);
  });

  it('ends with exit 1 and the file names when a prediction is missing or has another length', () => {
    writeVideo('v1.txt', ['A', 'A'], ['A']);
    writeFileSync(join(gtDir, 'v2.txt'), 'A\n');
    const missing = run(['--gt', gtDir, '--pred', predDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no prediction file for ground truth ${join(gtDir, 'v2.txt')}`);
    writeFileSync(join(predDir, 'v2.txt'), 'A\n');
    const short = run(['--gt', gtDir, '--pred', predDir]);
    expect(short.code).toBe(1);
    expect(short.stderr).toBe(`evgap: ${join(predDir, 'v1.txt')}: 1 frames, but ground truth ${join(gtDir, 'v1.txt')} has 2 (expected one predicted label per ground-truth frame)\n`);
  });

  it('ends with exit 1 on an empty line inside a label file', () => {
    writeVideo('v1.txt', ['A', '', 'A'], ['A', 'A', 'A']);
    const result = run(['--gt', gtDir, '--pred', predDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(gtDir, 'v1.txt')}:2: empty line before the last label`);
  });

  it('ends with exit 1 naming the file when a label file is binary (a sparse 1 GB file) or has an overlong line', () => {
    writeVideo('v1.txt', ['A', 'A'], ['A', 'A']);
    truncateSync(join(gtDir, 'v1.txt'), 1 << 30);
    const binary = run(['--gt', gtDir, '--pred', predDir]);
    expect(binary).toMatchObject({ code: 1, stdout: '' });
    expect(binary.stderr).toBe(`evgap: ${join(gtDir, 'v1.txt')}:3: binary data (a NUL byte): expected a text file (byte offset 4)\n`);
    writeFileSync(join(gtDir, 'v1.txt'), `A\n${'A'.repeat(2 << 20)}\n`);
    const long = run(['--gt', gtDir, '--pred', predDir]);
    expect(long.code).toBe(1);
    expect(long.stderr).toBe(`evgap: ${join(gtDir, 'v1.txt')}:2: line longer than 1048576 bytes: expected a text file with short lines (byte offset 1048578)\n`);
  });

  it('ends with exit 2 and a pointer to the help on usage errors', () => {
    expect(run(['--pred', predDir])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'evgap: missing --gt DIR\nRun `evgap segmentation-metrics --help` for usage.\n',
    });
    expect(run(['--gt', gtDir, '--pred', predDir, '--bogus']).stderr).toContain("Unknown option '--bogus'");
    expect(run(['--gt', gtDir, '--pred', predDir, 'extra']).code).toBe(2);
    expect(run(['--gt', join(root, 'nope'), '--pred', predDir])).toMatchObject({ code: 1, stderr: `evgap: ground-truth folder not found: ${join(root, 'nope')}\n` });
  });

  it('prints its help and is a command of the CLI', async () => {
    const result = run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: evgap segmentation-metrics --gt DIR --pred DIR');
    expect(segmentationMetricsCommand.name).toBe('segmentation-metrics');
    writeHalfCoveredVideo();
    let stdout = '';
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      env: {},
      untilStopped: () => Promise.resolve('SIGTERM'),
    };
    expect(await segmentationMetricsCommand.run(['--gt', gtDir, '--pred', predDir, '--json', '--data', root], io)).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('avg');
  });
});
