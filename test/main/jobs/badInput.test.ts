// Bad input around a PyTorch job fails clearly and early. Training refuses, before any process group or checkpoint
// exists and with one line naming what is wrong: a job folder from a newer app, features missing at a re-pointed
// root, a torch older than 1.13 (a stand-in `torch` module first on the path), a batch that does not split over the
// processes, an unknown dataset in --root; a root re-pointed at a copy of the features trains. The app refuses to
// import a job folder from a newer app or one not yet trained, and an import that fails inside its transaction
// leaves the catalog and the data folder as they were. `evgap export job` refuses flags that do not fit.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { exportJob } from '../../../main/jobs/exportJob';
import { importRun } from '../../../main/jobs/importRun';
import { catalogFile } from '../../../main/paths';
import { runCaptured } from '../cli/cliHarness';
import { createDemoData, readMetricsFile, requirePythonTorch, runJobModule } from './jobFixture';

let work: string;
let dataDir: string;
let catalog: Catalog;
let job: string;

beforeAll(async () => {
  requirePythonTorch();
  work = mkdtempSync(join(tmpdir(), 'evgap-job-bad-input-'));
  dataDir = join(work, 'data');
  await createDemoData(dataDir);
  catalog = Catalog.open(catalogFile(dataDir));
  job = join(work, 'job');
  await exportJob(catalog, { datasets: ['demo'], step: 1, steps: 2, out: job });
}, 60_000);

afterAll(() => {
  catalog?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A copy of the exported job with `edit` applied to its job.json. */
function jobCopy(name: string, edit: (spec: Record<string, unknown>) => void = () => {}): string {
  const copy = join(work, name);
  cpSync(job, copy, { recursive: true });
  const specPath = join(copy, 'job.json');
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  edit(spec);
  writeFileSync(specPath, JSON.stringify(spec));
  return copy;
}

/** Training refused with exit 2 and `message` (not a traceback), and nothing written to output/. */
function expectRefused(folder: string, args: string[], message: RegExp, env: NodeJS.ProcessEnv = {}): void {
  const result = runJobModule(folder, 'train', [folder, ...args], env);
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stderr.startsWith('evgap_torch: '), result.stderr).toBe(true);
  expect(result.stderr).not.toContain('Traceback');
  expect(result.stderr).toMatch(message);
  expect(readdirSync(join(folder, 'output'))).toEqual([]);
}

describe('evgap_torch.train refuses before training starts', () => {
  it('a job folder written by a newer app', { timeout: 60_000 }, () => {
    const newer = jobCopy('newer', (spec) => {
      spec.version = 2;
      spec.createdBy = { app: 'EVGAP Studio', version: '9.0.0' };
    });
    expectRefused(newer, [], /written by EVGAP Studio 9\.0\.0 in job format 2; this evgap_torch reads job format 1 and older/);
  });

  it('features missing at the re-pointed root, naming the files', { timeout: 60_000 }, () => {
    const missing = join(work, 'nowhere');
    expectRefused(job, ['--root', `demo=${missing}`], new RegExp(`12 of 12 feature tracks cannot be read:\\n  ${missing}/scene0\\d/\\w+\\.npy: no such file[^]*and 2 more\\nPoint each dataset at the folder`));
  });

  it('a torch older than 1.13', { timeout: 60_000 }, () => {
    const fake = join(work, 'old-torch');
    mkdirSync(join(fake, 'torch'), { recursive: true });
    writeFileSync(join(fake, 'torch', '__init__.py'), "__version__ = '1.12.1'\n");
    expectRefused(job, [], /needs PyTorch 1\.13 or newer, this Python has torch 1\.12\.1/, { PYTHONPATH: `${fake}:${join(job, 'python')}` });
  });

  it('a global batch that does not split over the processes, and --root of an unknown dataset', { timeout: 60_000 }, () => {
    expectRefused(job, [], /the global batch of 64 pairs cannot be split evenly over 3 processes/, { WORLD_SIZE: '3', RANK: '0', LOCAL_RANK: '0' });
    expectRefused(job, ['--root', 'other=/data'], /--root names other, the job's datasets are demo/);
  });

  it('but trains from a re-pointed root that holds the features', { timeout: 60_000 }, () => {
    const moved = join(work, 'moved-features');
    cpSync(catalog.findDatasetByName('demo')!.root, moved, { recursive: true });
    const result = runJobModule(job, 'train', [job, '--root', `demo=${moved}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(readMetricsFile(job).map((line) => line.step)).toEqual([1, 2]);
  });
});

describe('evgap import run refuses, leaving the catalog as it was', () => {
  it('a job folder from a newer app, and one not trained yet', async () => {
    const newer = jobCopy('newer-import', (spec) => (spec.version = 2));
    await expect(importRun(catalog, dataDir, { folder: newer })).rejects.toThrow(/job format 2, written by a newer app; this app reads job format 1/);
    const untrained = join(work, 'untrained');
    await exportJob(catalog, { datasets: ['demo'], step: 1, steps: 2, out: untrained });
    await expect(importRun(catalog, dataDir, { folder: untrained })).rejects.toThrow(/run\.json is missing: the job has not been trained yet/);
    expect(catalog.listRuns()).toEqual([]);
  });

  it('an import that fails inside its transaction writes nothing', async () => {
    // The run folder the new run would get is taken: moving the checkpoints there fails after the run row exists.
    const taken = join(dataDir, 'runs', '1');
    mkdirSync(join(taken, 'something'), { recursive: true });
    await expect(importRun(catalog, dataDir, { folder: job })).rejects.toThrow();
    expect(catalog.listRuns()).toEqual([]);
    expect(readdirSync(join(dataDir, 'runs')).sort()).toEqual(['1']);
    expect(readdirSync(taken)).toEqual(['something']);
    rmSync(taken, { recursive: true });
    const imported = await importRun(catalog, dataDir, { folder: job });
    expect(imported).toMatchObject({ runId: 1, status: 'completed', checkpoints: [0, 2], metricSteps: 2 });
  });
});

describe('evgap export job refuses flags that do not fit', () => {
  const exportArgs = (...args: string[]) => ['export', 'job', '--data', dataDir, ...args];

  it('a step-2 job without --init, --step1-loss on step 2, several datasets, a folder that is not empty', async () => {
    const out = join(work, 'refused');
    const cases: [string[], number, RegExp][] = [
      [['--dataset', 'demo', '--step', '2', '--out', out], 2, /--init RUN\[:STEP\] is required for a step-2 job/],
      [['--dataset', 'demo', '--step', '2', '--init', '1', '--step1-loss', 'gathered', '--out', out], 2, /--step1-loss applies to step-1 jobs only/],
      [['--dataset', 'demo', '--dataset', 'demo', '--step', '1', '--out', out], 2, /one --dataset per job for now/],
      [['--dataset', 'demo', '--step', '1', '--out', job], 1, /exists and is not empty; choose a new folder/],
      [['--dataset', 'nope', '--step', '1', '--out', out], 1, /no dataset named "nope"/],
    ];
    for (const [args, code, message] of cases) {
      const result = await runCaptured(exportArgs(...args));
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toMatch(message);
    }
    expect(readdirSync(work)).not.toContain('refused');
  });
});
