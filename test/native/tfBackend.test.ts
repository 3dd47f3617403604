// The backend loader: preference order, reasons for every skipped candidate, forcing, and argument checks. What it
// chooses depends on whether the optional native packages are installed; each case asserts its own behaviour.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../contract/errors';
import { loadMatMulAddon } from '../../native/matmul/index';
import { BackendLoadError, loadBackend, shortText } from '../../native/tfBackend';

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
  // Without @tensorflow/tfjs-node(-gpu) (the usual install: they are optional) it falls back to wasm and says why;
  // with one of them it takes the fastest native backend that initializes.
  if (!nativeInstalled) {
    it('says the native packages are not installed and falls back to wasm', async () => {
      const report = await loadBackend();
      expect(report.backend).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(report.tried.map(({ name, ok }) => [name, ok])).toEqual([
        ['tensorflow-gpu', false],
        ['tensorflow', false],
        ['wasm', true],
        ['native-matmul', loadMatMulAddon().ok],
      ]);
      // A short reason for people; the error's full text (with its file paths) as the detail.
      expect(report.tried[0]?.reason).toBe('not installed');
      expect(report.tried[0]?.detail).toMatch(/^Cannot find package '@tensorflow\/tfjs-node-gpu'/);
      expect(report.tried[1]?.reason).toBe('not installed');
      expect(report.tried[1]?.detail).toMatch(/^Cannot find package '@tensorflow\/tfjs-node'/);
      expect(report.details).toMatch(/^wasm \(@tensorflow\/tfjs-backend-wasm 4\.22\.0, SIMD, 1 thread\(s\), transpose-free/);
      const product = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()));
      expect(product).toEqual([11]);
    });
  } else {
    it('takes the fastest native backend that initializes, saying why the faster ones were skipped', async () => {
      const report = await loadBackend();
      expect(['tensorflow-gpu', 'tensorflow']).toContain(report.backend);
      expect(tf.getBackend()).toBe(report.backend);
      expect(report.tried.at(-1)).toEqual({ name: report.backend, ok: true });
      for (const skipped of report.tried.slice(0, -1)) expect(skipped).toMatchObject({ ok: false, reason: expect.any(String) });
      const product = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()));
      expect(product).toEqual([11]);
    });
  }

  it('activates exactly the forced backend', async () => {
    const report = await loadBackend({ force: 'cpu' });
    expect(report).toEqual({
      backend: 'cpu',
      tried: [{ name: 'cpu', ok: true }],
      details: expect.stringContaining('cpu'),
      bf16: { available: false, detail: 'the cpu backend multiplies in float32 only' },
    });
    expect(tf.getBackend()).toBe('cpu');
    expect((await loadBackend({ force: 'wasm' })).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  if (!isInstalled('@tensorflow/tfjs-node')) {
    it('fails a forced backend that cannot load, with its reason', async () => {
      const failure = await loadBackend({ force: 'tensorflow' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(BackendLoadError);
      expect((failure as BackendLoadError).message).toBe('loadBackend: forced backend tensorflow: not installed');
      expect((failure as BackendLoadError).tried).toHaveLength(1);
    });
  } else {
    it('activates the forced native backend where it is installed', async () => {
      const report = await loadBackend({ force: 'tensorflow' });
      expect(report).toMatchObject({ backend: 'tensorflow', tried: [{ name: 'tensorflow', ok: true }] });
      expect(tf.getBackend()).toBe('tensorflow');
    });
  }

  it('rejects an unknown backend name and a bad thread count', async () => {
    await expect(loadBackend({ force: 'webgpu' as 'cpu' })).rejects.toThrow(ArgumentError);
    await expect(loadBackend({ force: 'webgpu' as 'cpu' })).rejects.toThrow('expected force to be one of tensorflow-gpu');
    await expect(loadBackend({ threads: 0 })).rejects.toThrow('expected threads to be an integer >= 1, got 0');
  });
});

describe('shortText', () => {
  it('keeps the first line and cuts absolute paths to their file names', () => {
    expect(shortText("Cannot find module 'x' imported from /work/main/out/main/chunks/paths-Bq3.js\nRequire stack:\n- /a/b.js")).toBe(
      "Cannot find module 'x' imported from …/paths-Bq3.js",
    );
    expect(shortText('libcudart.so.11.0: cannot open shared object file: No such file or directory')).toBe(
      'libcudart.so.11.0: cannot open shared object file: No such file or directory',
    );
    expect(shortText('C:\\Users\\me\\app\\tfjs_binding.node is not a valid Win32 application')).toBe('…/tfjs_binding.node is not a valid Win32 application');
  });
});
