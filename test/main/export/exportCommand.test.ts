// `evgap export` in-process (runExport): annotations in both formats and run results as CSV and JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import type { CliIO } from '../../../main/cli/commandLine';
import { runExport } from '../../../main/cli/commands/export';
import { catalogFile } from '../../../main/paths';
import { useTempDir } from '../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();

async function run(args: string[]) {
  let stdout = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: () => true, isTTY: false },
    env: {},
    untilStopped: () => new Promise(() => undefined),
  };
  return { code: await runExport(args, io), stdout };
}

function dataFolder(): string {
  const data = tempDir();
  const catalog = Catalog.open(catalogFile(data));
  const datasetId = catalog.importDataset({
    name: 'kitchen',
    root: data,
    format: 'folder',
    scenes: [
      {
        name: 's1',
        views: [{ name: 'ego', role: 'ego', syncOffsetFrames: 0, track: { featurePath: 'f.npy', frameCount: 4, featureFps: 30 } }],
        segments: [{ startFrame: 1, endFrame: 3, label: 'take cup' }],
      },
    ],
  });
  const runId = catalog.createRun({ datasetId, kind: 'pretrain', config: {}, seed: 1, backend: 'wasm' });
  catalog.addRunMetrics(runId, [{ step: 0, name: 'loss', value: 1 }]);
  catalog.close();
  return data;
}

describe('evgap export', () => {
  it('writes coarse and MS-TCN annotations', async () => {
    const data = dataFolder();
    const coarse = join(tempDir(), 'coarse');
    expect((await run(['annotations', 'kitchen', '--format', 'coarse', '--out', coarse, '--data', data])).code).toBe(0);
    expect(readFileSync(join(coarse, 's1.txt'), 'utf8')).toBe('000000001 000000003 take cup\n');
    const mstcn = join(tempDir(), 'mstcn');
    await run(['annotations', 'kitchen', '--format', 'mstcn', '--out', mstcn, '--data', data]);
    expect(readFileSync(join(mstcn, 'groundTruth', 's1.txt'), 'utf8')).toBe('background\ntake cup\ntake cup\nbackground\n');
    expect(readdirSync(mstcn).sort()).toEqual(['groundTruth', 'mapping.txt']);
  });

  it('writes run results as CSV or JSON by the file extension', async () => {
    const data = dataFolder();
    const out = tempDir();
    const csv = await run(['runs', 'kitchen', '--out', join(out, 'runs.csv'), '--data', data]);
    expect(csv.stdout).toContain('Wrote 1 run to');
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^1,pretrain,queued,1,wasm,1,metric,,,,loss,0,1,,,,,false$/);
    await run(['runs', '--out', join(out, 'runs.json'), '--data', data]);
    expect(JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8'))[0]).toMatchObject({ kind: 'pretrain', metrics: [{ name: 'loss', value: 1 }] });
  });

  it('rejects a missing --format for annotations', async () => {
    await expect(run(['annotations', 'kitchen', '--out', '/tmp/x'])).rejects.toThrow(/--format: expected coarse or mstcn/);
  });
});
