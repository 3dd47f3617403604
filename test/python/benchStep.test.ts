// evgap_torch.bench_step, the PyTorch side of `npm run bench:train`: its presets are the app's (encoder sizes, step-1
// batch and optimizer), and it prints one JSON object with the seconds per step in fp32 and with bf16 autocast.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../main/engine/config';
import { python, requirePythonTorch } from '../main/jobs/jobFixture';

const pythonPath = join(import.meta.dirname, '..', '..', 'python');

function benchStep(args: string[]): unknown {
  const result = spawnSync(python, ['-m', 'evgap_torch.bench_step', ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 120_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('evgap_torch.bench_step', () => {
  it('knows the app’s presets', { timeout: 60_000 }, () => {
    const described = benchStep(['--describe']) as { presets: Record<string, { encoder: unknown; batchPairs: number }>; step1: Record<string, unknown> };
    for (const name of ['paper', 'demo'] as const) {
      const config = resolveConfig(name);
      expect(described.presets[name]).toEqual({ encoder: { ...config.encoder, inputDim: 2048 }, batchPairs: config.step1.batchPairs });
    }
    const { lr, beta1, beta2, epsilon, weightDecay, optimizer, auxWeight, logitScaleInit } = resolveConfig('paper').step1;
    expect(described.step1).toEqual({ lr, beta1, beta2, epsilon, weightDecay, optimizer, auxWeight, logitScaleInit });
  });

  it('times fp32 and bf16-autocast steps and prints them as JSON', { timeout: 120_000 }, () => {
    requirePythonTorch();
    const result = benchStep(['--preset', 'demo', '--batch', '4', '--steps', '1', '--warmup', '0', '--threads', '1']) as Record<string, unknown>;
    expect(result).toMatchObject({ engine: 'pytorch', preset: 'demo', batchPairs: 4, threads: 1, steps: 1 });
    for (const precision of ['fp32', 'bf16']) {
      const timing = result[precision] as { secondsPerStep: number[]; median: number };
      expect(timing.secondsPerStep).toHaveLength(1);
      expect(timing.median).toBeGreaterThan(0);
    }
  });
});
