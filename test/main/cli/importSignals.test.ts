// Ctrl-C and SIGTERM during `evgap import`, against the built CLI as a child process: once the import has printed
// a progress line, the signal stops it; it exits 130 saying nothing was imported, and the catalog holds exactly the
// datasets it held before. The folder format (which used to ignore both) and Assembly101 (npy layout) are run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, evgapBin, repoRoot, runEvgap } from './processHarness';
import { useTempDir } from '../catalog/fixtures/catalogFixtures';
import { assembly101Npy, folderDataset, makeVideo } from './badInputFixtures';

const tempDir = useTempDir();

beforeAll(() => assertBuilt());

/** Runs `evgap args`, sends `signal` once a progress line is on stderr, and resolves with the exit code and output. */
function interrupted(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [evgapBin, ...args], { cwd: repoRoot, env: { ...process.env, EVGAP_DATA_DIR: '' } });
  let stderr = '';
  let stdout = '';
  let sent = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!sent && /^Importing \S+: \d+% \(\d+\/\d+\)/m.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr, stdout })));
}

function datasets(data: string): unknown {
  const listed = runEvgap(['datasets', '--json', '--data', data]);
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout);
}

/** A data folder whose catalog already holds one small dataset, so "unchanged" means something. */
function populatedDataDir(): string {
  const data = tempDir();
  const first = folderDataset(join(tempDir(), 'first'), { name: 'first' });
  expect(runEvgap(['import', 'folder', first, '--data', data]).code).toBe(0);
  return data;
}

describe('evgap import stopped by a signal', () => {
  let videoDir: string;
  let video: string;
  beforeAll(() => {
    videoDir = mkdtempSync(join(tmpdir(), 'evgap-signal-video-'));
    video = makeVideo(join(videoDir, 'clip.mp4'));
  });
  afterAll(() => rmSync(videoDir, { recursive: true, force: true }));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`folder: ${signal} after the first progress line exits 130 and imports nothing`, async () => {
      const data = populatedDataDir();
      const before = datasets(data);
      const root = folderDataset(join(tempDir(), 'many'), { name: 'many', scenes: 6, views: 10, video });
      const result = await interrupted(['import', 'folder', root, '--data', data], signal);
      expect(result.code, result.stderr).toBe(130);
      // Stopped inside a unit of work ("while reading …") or between two ("after video scene1/e1").
      expect(result.stderr).toMatch(/^evgap: import cancelled (while (reading|probing|checking)|after (view|video)) .*; nothing was imported$/m);
      expect(result.stdout).toBe('');
      expect(datasets(data)).toEqual(before);
    }, 120_000);
  }

  it('assembly101: SIGINT after the first progress line exits 130 and imports nothing', async () => {
    const data = populatedDataDir();
    const before = datasets(data);
    const root = assembly101Npy(join(tempDir(), 'a101'), { sequences: 3, frames: 40, video });
    const result = await interrupted(['import', 'assembly101', root, '--feature-dim', '8', '--data', data], 'SIGINT');
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^evgap: import cancelled (while|after) .*; nothing was imported$/m);
    expect(datasets(data)).toEqual(before);
  }, 120_000);
});
