// evgap_torch's own tests (python/tests, pytest): feature readers (.npy layouts and dtypes, LMDB in Assembly101's
// key format written by the reference library), safetensors, JavaScript number semantics, checkpoint files and
// the metrics log, the losses against slow versions, the class-token-only last block against the whole layer, and
// the gathered step-1 loss over two gloo processes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { python, requirePythonTorch } from '../main/jobs/jobFixture';

const repoRoot = join(import.meta.dirname, '..', '..');

describe('python/tests (pytest)', () => {
  it('pass', { timeout: 300_000 }, () => {
    requirePythonTorch();
    const result = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'python/tests'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 280_000,
    });
    expect(result.error?.message).toBeUndefined();
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/\d+ passed/);
    expect(result.stdout).not.toMatch(/skipped|xfail/);
  });
});
