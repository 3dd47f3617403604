// The backend loader: preference order, reasons for every skipped candidate, forcing, and argument checks.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../contract/errors';
import { loadMatMulAddon } from '../../native/matmul/index';
import { BackendLoadError, loadBackend } from '../../native/tfBackend';

function isInstalled(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

const nativeInstalled = isInstalled('@tensorflow/tfjs-node-gpu') || isInstalled('@tensorflow/tfjs-node');

describe('loadBackend', () => {
  it.skipIf(nativeInstalled)('says the native packages are not installed and falls back to wasm', async () => {
    const report = await loadBackend();
    expect(report.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.tried.map(({ name, ok }) => [name, ok])).toEqual([
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['wasm', true],
      ['native-matmul', loadMatMulAddon().ok],
    ]);
    expect(report.tried[0]?.reason).toMatch(/^not installed: Cannot find package '@tensorflow\/tfjs-node-gpu'/);
    expect(report.tried[1]?.reason).toMatch(/^not installed: Cannot find package '@tensorflow\/tfjs-node'/);
    expect(report.details).toMatch(/^wasm \(@tensorflow\/tfjs-backend-wasm 4\.22\.0, SIMD, 1 thread\(s\), transpose-free/);
    const product = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()));
    expect(product).toEqual([11]);
  });

  it('activates exactly the forced backend', async () => {
    const report = await loadBackend({ force: 'cpu' });
    expect(report).toEqual({ backend: 'cpu', tried: [{ name: 'cpu', ok: true }], details: expect.stringContaining('cpu') });
    expect(tf.getBackend()).toBe('cpu');
    expect((await loadBackend({ force: 'wasm' })).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it.skipIf(isInstalled('@tensorflow/tfjs-node'))('fails a forced backend that cannot load, with its reason', async () => {
    const failure = await loadBackend({ force: 'tensorflow' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendLoadError);
    expect((failure as BackendLoadError).message).toMatch(
      /^loadBackend: forced backend tensorflow: not installed: Cannot find package '@tensorflow\/tfjs-node'/,
    );
    expect((failure as BackendLoadError).tried).toHaveLength(1);
  });

  it('rejects an unknown backend name and a bad thread count', async () => {
    await expect(loadBackend({ force: 'webgpu' as 'cpu' })).rejects.toThrow(ArgumentError);
    await expect(loadBackend({ force: 'webgpu' as 'cpu' })).rejects.toThrow('expected force to be one of tensorflow-gpu');
    await expect(loadBackend({ threads: 0 })).rejects.toThrow('expected threads to be an integer >= 1, got 0');
  });
});
