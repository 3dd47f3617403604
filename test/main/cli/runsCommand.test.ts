// `evgap runs` and `evgap run show|name|tag` in-process: a pipeline's runs listed under it with the quick mark,
// names and tags set from the command line (+tag, -tag, "" clears a name) and filtered by, a run's full config in
// sections, and bad input refused with exit 2 naming the argument, changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../contract/api';
import { presets } from '../../../main/engine/config';
import { createCatalogFixture, type CatalogFixture } from '../api/catalogFixture';
import { runCaptured } from './cliHarness';

let fixture: CatalogFixture;
let pipeline: number;
let step1: number;
let step2: number;
let alone: number;

beforeAll(() => {
  fixture = createCatalogFixture();
  const { catalog, datasetId } = fixture;
  pipeline = catalog.createRun({ datasetId, kind: 'pipeline', config: { request: { dataset: 'd', preset: 'demo', quick: true }, seeds: [1], engine: presets.demo }, seed: 1, backend: 'wasm' });
  step1 = catalog.createRun({ datasetId, kind: 'pretrain-step1', config: presets.demo, seed: 1, backend: 'wasm', parentRunId: pipeline });
  step2 = catalog.createRun({ datasetId, kind: 'pretrain-step2', config: presets.demo, seed: 1, backend: 'wasm', parentRunId: pipeline });
  alone = catalog.createRun({ datasetId, kind: 'pretrain-step1', config: { ...presets.demo, training: { precision: 'bf16' } }, seed: 2, backend: 'wasm' });
});
afterAll(() => fixture.cleanup());

const cli = (...argv: string[]) => runCaptured([...argv, '--data', fixture.dataDir]);

describe('evgap runs', () => {
  it('lists the runs newest first, a pipeline’s runs indented under it, quick runs marked', async () => {
    const result = await cli('runs');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.replace(/,.*$/, ''))).toEqual([
      `#${alone} pretrain-step1 queued`,
      `#${pipeline} pipeline queued quick`,
      `  └ #${step1} pretrain-step1 queued quick`,
      `  └ #${step2} pretrain-step2 queued quick`,
    ]);
  });

  it('names and tags runs from the command line, lists them by tag and as JSON', async () => {
    expect((await cli('run', 'name', String(alone), 'bf16 try')).stdout).toMatch(new RegExp(`^#${alone} pretrain-step1 queued “bf16 try”`));
    expect((await cli('run', 'tag', String(alone), '+sweep', 'precision', '+old')).stdout).toContain('[old, precision, sweep]');
    expect((await cli('run', 'tag', String(alone), '-old')).stdout).toContain('[precision, sweep]');
    await cli('run', 'tag', String(step1), 'sweep');

    const tagged = await cli('runs', '--tag', 'sweep');
    // The listed child's pipeline is not listed: it stands alone, saying which pipeline started it.
    const lines = tagged.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^#${alone} pretrain-step1 queued “bf16 try” \\[precision, sweep\\], seed 2, backend wasm$`));
    expect(lines[1]).toMatch(new RegExp(`^#${step1} pretrain-step1 queued quick \\[sweep\\], .* \\(started by pipeline #${pipeline}\\)$`));
    const json = JSON.parse((await cli('runs', '--tag', 'precision', '--json')).stdout) as RunSummary[];
    expect(json).toEqual([expect.objectContaining({ id: alone, name: 'bf16 try', tags: ['precision', 'sweep'], parentRunId: null, quick: false })]);
    expect((await cli('runs', '--tag', 'none')).stdout).toBe('No runs tagged "none".\n');

    expect((await cli('run', 'name', String(alone), '')).stdout).not.toContain('“');
    expect(fixture.catalog.getRun(alone).name).toBeNull();
  });

  it('shows a run’s full resolved config in sections, and the pipeline that started it', async () => {
    const result = await cli('run', 'show', String(step1));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`started by pipeline #${pipeline}`);
    const lines = result.stdout.split('\n');
    for (const section of ['Encoder', 'Sampling', 'Step 1 · pairs', 'Step 2 · groups', 'Training']) expect(lines).toContain(`  ${section}`);
    expect(result.stdout).toMatch(/^ {4}precision +fp32$/m);
    expect(result.stdout).toMatch(/^ {4}seed +1$/m);
    expect(result.stdout).toMatch(new RegExp(`^ {4}batchPairs +${presets.demo.step1.batchPairs}$`, 'm'));
    const pipelineShown = await cli('run', 'show', String(pipeline));
    expect(pipelineShown.stdout).toMatch(/^ {2}Pipeline request\n {4}dataset +d\n {4}preset +demo\n {4}quick +true$/m);
    expect(JSON.parse((await cli('run', 'show', String(pipeline), '--json')).stdout)).toMatchObject({ id: pipeline, config: { request: { quick: true } } });
  });

  it('is how `evgap info` lists the dataset’s runs too, oldest first, and `evgap help` names both commands', async () => {
    await cli('run', 'tag', String(pipeline), 'smoke');
    const info = await cli('info', String(fixture.datasetId));
    const runs = info.stdout.slice(info.stdout.indexOf('Runs:\n') + 'Runs:\n'.length).trimEnd().split('\n');
    expect(runs.map((line) => line.replace(/,.*$/, ''))).toEqual([
      `  #${pipeline} pipeline queued quick [smoke]`,
      `    └ #${step1} pretrain-step1 queued quick [sweep]`,
      `    └ #${step2} pretrain-step2 queued quick`,
      expect.stringMatching(new RegExp(`^  #${alone} pretrain-step1 queued`)),
    ]);
    const help = await runCaptured(['--help']);
    for (const command of ['runs', 'run']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect((await runCaptured(['run', '--help'])).stdout).toMatch(/^Usage: evgap run show RUN/);
  });

  it.each([
    [['run', 'tag', '1', 'two words'], /TAG: expected a tag of letters, digits/],
    [['run', 'tag', '1'], /missing tags/],
    [['run', 'name', 'x', 'n'], /RUN: expected a run id/],
    [['run', 'name', '1', 'a\nb'], /NAME: expected a name on one line/],
    [['run', 'rename', '1'], /unknown run action "rename"/],
    [['runs', 'a', 'b'], /unexpected argument "b"/],
  ])('%j exits 2 with %s', async (argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('refuses an unknown run with exit 1', async () => {
    const result = await cli('run', 'name', '9999', 'x');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no run with id 9999/);
  });
});
