// `evgap demo` runs the whole pipeline after generating the demo (quick settings here), printing a line per stage
// and where the report is; --no-pipeline only generates; `evgap pipeline` refuses a held-out view the dataset
// lacks before writing anything. In-process, with features only.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../main/cli/commandLine';
import { pipelineCommand } from '../../../main/cli/commands/pipeline';
import { Catalog } from '../../../main/catalog/Catalog';
import { catalogFile } from '../../../main/paths';
import { runCaptured, type CliResult } from './cliHarness';

let dataDir: string;
const never = new Promise<string>(() => {});

function runs() {
  const catalog = Catalog.open(catalogFile(dataDir));
  try {
    return catalog.listRuns();
  } finally {
    catalog.close();
  }
}

async function pipeline(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: {},
    untilStopped: () => never,
  };
  try {
    return { code: await pipelineCommand.run(args, io), stdout, stderr };
  } catch (error) {
    return { code: -1, stdout, stderr: stderr + String(error) };
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'evgap-demo-pipeline-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('evgap demo with the pipeline', () => {
  it('--no-pipeline only generates and registers the demo', async () => {
    const result = await runCaptured(['demo', '--scenes', '3', '--dim', '16', '--no-videos', '--no-pipeline', '--data', dataDir], { stop: never });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Demo dataset ready: "demo"/);
    expect(result.stdout).not.toContain('Report:');
    expect(runs()).toEqual([]);
  });

  it('runs every stage and prints where the report is', async () => {
    const result = await runCaptured(['demo', '--scenes', '3', '--dim', '16', '--no-videos', '--quick', '--data', dataDir], { stop: never });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Demo dataset already up to date: "demo"/);
    const stages = [...result.stderr.matchAll(/^\[(\d)\/7\] ([a-z0-9-]+): /gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(stages).toEqual(['1 pretrain-step1', '2 pretrain-step2', '3 retrieval', '4 segmentation', '5 anticipation', '6 ablation', '7 report']);
    expect(result.stderr).toMatch(/run \d+ \(pretrain-step1\): 24 steps/);
    const pipelineRun = runs().find((run) => run.kind === 'pipeline')!;
    expect(pipelineRun.status).toBe('completed');
    const report = join(dataDir, 'runs', String(pipelineRun.id), 'report', 'index.html');
    expect(result.stdout).toContain(`Pipeline run ${pipelineRun.id} completed.\nReport: ${report}\n`);
    expect(existsSync(report)).toBe(true);
    expect(result.stdout).toMatch(/Next steps:\n {2}evgap serve --data /);
  }, 900_000);

  it('evgap pipeline refuses a held-out view the dataset lacks, writing nothing', async () => {
    const before = runs();
    const runFolders = readdirSync(join(dataDir, 'runs'));
    const result = await pipeline(['--dataset', 'demo', '--quick', '--held-out', 'e1', '--held-out', 'v42', '--data', dataDir]);
    expect(result.code).toBe(-1);
    expect(result.stderr).toContain('ArgumentError: heldOutViews: dataset demo has no view "v42" (its views: e1, e2, e3, e4, v1, v2, v3, v4, v5, v6, v7, v8)');
    expect(runs()).toEqual(before);
    expect(readdirSync(join(dataDir, 'runs'))).toEqual(runFolders);
  });

  it('evgap pipeline without --dataset is a usage error', async () => {
    const result = await pipeline(['--quick', '--data', dataDir]);
    expect(result.code).toBe(-1);
    expect(result.stderr).toContain('UsageError: missing --dataset NAME');
  });
});
