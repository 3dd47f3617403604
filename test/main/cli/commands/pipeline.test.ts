// `evgap pipeline` flags: --seg-head names the segmentation heads (repeatable), refusing an unknown or repeated
// head as a usage error before anything is opened or written.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../cliHarness';

const dataDir = mkdtempSync(join(tmpdir(), 'evgap-pipeline-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('evgap pipeline --seg-head', () => {
  it('refuses an unknown head, naming the heads it knows', async () => {
    const result = await runCaptured(['pipeline', '--dataset', 'demo', '--seg-head', 'mstcn', '--data', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--seg-head: expected one of c2f-tcn, asformer, ltcontext, got "mstcn"');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a head named twice', async () => {
    const result = await runCaptured(['pipeline', '--dataset', 'demo', '--seg-head', 'asformer', '--seg-head', 'asformer', '--data', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--seg-head: expected each head once, got asformer, asformer');
  });

  it('is in the help', async () => {
    const result = await runCaptured(['pipeline', '--help']);
    expect(result.stdout).toMatch(/--seg-head NAME {3}A segmentation head to train and compare: c2f-tcn, asformer or ltcontext/);
  });
});

describe('evgap pipeline --seeds', () => {
  it('refuses a seed count out of range, and --seeds-pretrain without --seeds, before anything is written', async () => {
    for (const seeds of ['0', '21', 'three']) {
      const result = await runCaptured(['pipeline', '--dataset', 'demo', '--seeds', seeds, '--data', dataDir]);
      expect(result.code, seeds).toBe(2);
      expect(result.stderr).toMatch(/--seeds: expected an integer from 1 to 20/);
    }
    const alone = await runCaptured(['pipeline', '--dataset', 'demo', '--seeds-pretrain', '--data', dataDir]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--seeds-pretrain goes with --seeds N');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('is in the help, with the significance rule', async () => {
    const result = await runCaptured(['pipeline', '--help']);
    expect(result.stdout).toMatch(/--seeds N {9}Repeat the downstream heads/);
    expect(result.stdout).toContain('paired t-test at 95 %');
    expect(result.stdout).toMatch(/--seeds-pretrain {2}With --seeds: repeat pre-training/);
  });
});
