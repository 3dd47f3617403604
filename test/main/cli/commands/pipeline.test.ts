// `evgap pipeline` flags: --seg-head names the segmentation heads (repeatable), refusing an unknown or repeated
// head as a usage error before anything is opened or written; the checks before a run (`evgap pipeline` and
// `evgap pretrain` list their datasets' problems and exit 1 before starting), and --unlabeled-class.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/Catalog';
import { catalogFile } from '../../../../main/paths';
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

describe('evgap pipeline and evgap pretrain: checks before a run', () => {
  const checkedDir = mkdtempSync(join(tmpdir(), 'evgap-pipeline-checks-'));
  afterAll(() => rmSync(checkedDir, { recursive: true, force: true }));
  const view = (name: string, role: 'ego' | 'exo') => ({ name, role, syncOffsetFrames: 0, track: { featurePath: `${name}.npy`, featureDim: 8, featureFps: 15, frameCount: 100 } });
  const scene = (name: string, split: 'train' | 'test', roles: ('ego' | 'exo')[]) => ({
    name,
    split,
    views: roles.map((role, i) => view(`${role}${i}`, role)),
    segments: [{ startFrame: 0, endFrame: 40, label: 'take' }, { startFrame: 60, endFrame: 100, label: 'pour' }],
  });
  const catalog = Catalog.open(catalogFile(checkedDir));
  catalog.importDataset({ name: 'gappy', root: checkedDir, format: 'folder', scenes: [scene('s1', 'train', ['ego', 'exo']), scene('s2', 'test', ['ego', 'exo'])] });
  catalog.importDataset({ name: 'egoOnly', root: checkedDir, format: 'folder', scenes: [scene('s3', 'train', ['ego', 'ego'])] });
  catalog.close();

  it('lists every problem with its fix and exits 1 before starting', async () => {
    const result = await runCaptured(['pipeline', '--dataset', 'gappy', '--quick', '--data', checkedDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The pipeline cannot start: 2 problems in its datasets:');
    expect(result.stderr).toContain("dataset gappy, scene s1: 20 frames of the annotated range [0, 100) in no segment: frames 40–59 (fix: fill gaps with class 'unlabeled')");
    expect(result.stderr).toContain('dataset gappy, scene s2: 20 frames');
    expect(result.stderr).not.toContain('Backend:');
    const reopened = Catalog.open(catalogFile(checkedDir));
    expect(reopened.listRuns()).toEqual([]);
    reopened.close();
  });

  it('prints the problems as JSON with --json', async () => {
    const result = await runCaptured(['pipeline', '--dataset', 'gappy', '--json', '--data', checkedDir]);
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stdout.trim()) as { type: string; problems: { scene: string; fix: { unlabeledClass?: string } }[] };
    expect(line.type).toBe('problems');
    expect(line.problems.map((p) => [p.scene, p.fix.unlabeledClass])).toEqual([['s1', 'unlabeled'], ['s2', 'unlabeled']]);
  });

  it('refuses an empty --unlabeled-class as a usage error, and has it in the help', async () => {
    const result = await runCaptured(['pipeline', '--dataset', 'gappy', '--unlabeled-class', ' ', '--data', checkedDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--unlabeled-class: expected a class name of 1 to 200 characters, got " "');
    expect((await runCaptured(['pipeline', '--help'])).stdout).toMatch(/--unlabeled-class NAME\n\s+The class of frames that no segment covers/);
  });

  it('refuses step 2 on a dataset without groups (evgap pretrain), exiting 1', async () => {
    const result = await runCaptured(['pretrain', '--step', '2', '--dataset', 'egoOnly', '--data', checkedDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Step-2 pre-training cannot start: 1 problem in its datasets:');
    expect(result.stderr).toContain("dataset egoOnly: step 2 needs groups: a training scene (split 'train' or none) with ego and exo views with feature tracks, the dataset has none");
    expect(result.stderr).toContain('warning: dataset egoOnly, scene s3: no exo view with a feature track');
    expect(result.stderr).not.toContain('Backend:');
  });
});
