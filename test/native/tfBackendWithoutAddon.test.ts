// The backend loader where the native matMul addon cannot be used (simulated: its loader says "not built"): wasm is
// still activated, with the transpose-free kernels, and the report says why the addon was skipped.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { loadBackend } from '../../native/tfBackend';
import { installedMatMul } from '../../native/wasmMatMul';

const simulatedReason = 'not built: native/matmul/build/Release/evgap_matmul.node does not exist (simulated)';

vi.mock('../../native/matmul/index', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../native/matmul/index')>()),
  loadMatMulAddon: () => ({ ok: false, reason: simulatedReason }),
}));

describe('loadBackend without the native matMul addon', () => {
  it('activates wasm with the transpose-free kernels and reports why the addon was skipped', async () => {
    const report = await loadBackend({ force: 'wasm' });
    expect(report.backend).toBe('wasm');
    expect(report.tried).toEqual([
      { name: 'wasm', ok: true },
      { name: 'native-matmul', ok: false, reason: simulatedReason },
    ]);
    expect(report.details).toMatch(/transpose-free BatchMatMul and _FusedMatMul, zero-copy Identity\)$/);
    expect(report.bf16).toEqual({ available: false, detail: 'needs native-matmul, not used here; bf16 products run in fp32' });
    expect(installedMatMul()).toBe('transpose-free');
    const product = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]), false, false).dataSync()));
    expect(product).toEqual([11]);
  });

  it('says so when the caller turns the addon off', async () => {
    const report = await loadBackend({ force: 'wasm', nativeMatMul: false });
    expect(report.tried.at(-1)).toEqual({ name: 'native-matmul', ok: false, reason: 'disabled: loadBackend({ nativeMatMul: false })' });
    await expect(loadBackend({ nativeMatMul: 'yes' as unknown as boolean })).rejects.toThrow(
      'loadBackend: expected nativeMatMul to be a boolean, got yes',
    );
  });
});
