// Chooses the TF.js backend for training and evaluation: the native TensorFlow bindings with CUDA
// (@tensorflow/tfjs-node-gpu), then without (@tensorflow/tfjs-node), then WebAssembly (@tensorflow/tfjs-backend-wasm,
// with its transposed matMul paths replaced, see wasmMatMul.ts), then plain JavaScript (cpu). On wasm it then
// tries the project's native addon (native/matmul, reported as 'native-matmul'), which takes over the backend's
// BatchMatMul and _FusedMatMul kernels, and Transpose, Slice and Sum, the next largest of a training step. Every
// candidate that was skipped is reported with its reason, so the UI and the run record can say why training is slow.
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../contract/errors';
import { loadMatMulAddon } from './matmul/index';
import { installNativeLayoutKernels, removeNativeLayoutKernels } from './matmul/wasmLayoutKernels';
import { installNativeMatMul, installTransposeFreeMatMul, removeNativeMatMul } from './wasmMatMul';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export type BackendAttempt = { name: string; ok: boolean; reason?: string };

export type BackendReport = {
  /** The backend now active, named as in BackendName. */
  backend: string;
  /** Every candidate tried, in order; the failed ones with their reason. */
  tried: BackendAttempt[];
  /** A one-line description of the active backend (module version, SIMD, threads, patched kernels). */
  details: string;
};

export type LoadBackendOptions = {
  /** Try only this backend and fail if it cannot be initialized. */
  force?: BackendName;
  /** Threads for the wasm backend's XNNPACK pool; only used where its threaded build runs (not under Node). */
  threads?: number;
  /**
   * On wasm, run matrix products in the native addon (native/matmul) when it loads; default true.
   * EVGAP_NATIVE_MATMUL=0 turns it off as well.
   */
  nativeMatMul?: boolean;
};

/** The name under which the native matrix-product addon appears in BackendReport.tried. */
export const nativeMatMulAttempt = 'native-matmul';

/** No backend could be activated (or the forced one could not); `tried` says why for each. */
export class BackendLoadError extends Error {
  override name = 'BackendLoadError';
  constructor(
    message: string,
    readonly tried: BackendAttempt[],
  ) {
    super(message);
  }
}

const preferenceOrder: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** What activating a backend made of it: its details line and any further attempts it made (the addon). */
type Activation = { details: string; attempts?: BackendAttempt[] };

const initializers: Record<BackendName, (options: LoadBackendOptions) => Promise<string | Activation>> = {
  'tensorflow-gpu': () => activateNativeBindings('@tensorflow/tfjs-node-gpu'),
  tensorflow: () => activateNativeBindings('@tensorflow/tfjs-node'),
  wasm: activateWasm,
  cpu: async () => {
    await activate('cpu');
    return `cpu (plain JavaScript, @tensorflow/tfjs ${tf.version_core})`;
  },
};

/** Activates the fastest backend that works here (or exactly `force`) and reports what was tried. */
export async function loadBackend(options: LoadBackendOptions = {}): Promise<BackendReport> {
  const { force, threads, nativeMatMul } = options;
  if (force !== undefined && !preferenceOrder.includes(force)) {
    throw new ArgumentError(`loadBackend: expected force to be one of ${preferenceOrder.join(', ')}, got ${String(force)}`);
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new ArgumentError(`loadBackend: expected threads to be an integer >= 1, got ${threads}`);
  }
  if (nativeMatMul !== undefined && typeof nativeMatMul !== 'boolean') {
    throw new ArgumentError(`loadBackend: expected nativeMatMul to be a boolean, got ${String(nativeMatMul)}`);
  }
  const tried: BackendAttempt[] = [];
  for (const name of force === undefined ? preferenceOrder : [force]) {
    try {
      const activation = await initializers[name](options);
      const { details, attempts = [] } = typeof activation === 'string' ? { details: activation } : activation;
      tried.push({ name, ok: true }, ...attempts);
      return { backend: name, tried, details };
    } catch (error) {
      tried.push({ name, ok: false, reason: describeFailure(error) });
    }
  }
  const reasons = tried.map((attempt) => `${attempt.name}: ${attempt.reason}`).join('; ');
  throw new BackendLoadError(
    force === undefined ? `loadBackend: no backend could be initialized (${reasons})` : `loadBackend: forced backend ${reasons}`,
    tried,
  );
}

/** A candidate's failure, worded so that a missing optional package reads differently from a broken one. */
class BackendUnavailable extends Error {
  override name = 'BackendUnavailable';
}

function describeFailure(error: unknown): string {
  if (error instanceof BackendUnavailable) return error.message;
  return `failed to initialize: ${messageOf(error)}`;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  // The wasm module's loader rejects with a plain { message } object.
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/** Imports a backend package by name, so that a missing optional package is a reason rather than a crash. */
async function importBackendPackage(packageName: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ packageName);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && messageOf(error).includes(packageName);
    throw new BackendUnavailable(`${missing ? 'not installed' : 'failed to initialize'}: ${messageOf(error)}`);
  }
}

async function activateNativeBindings(packageName: string): Promise<string> {
  await importBackendPackage(packageName);
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new BackendUnavailable(
      `failed to initialize: ${packageName} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs ` +
        `(${tf.version_core}); a second copy of @tensorflow/tfjs-core is likely installed`,
    );
  }
  await activate('tensorflow');
  return `tensorflow (${packageName}, native TensorFlow bindings)`;
}

async function activateWasm({ threads, nativeMatMul }: LoadBackendOptions): Promise<Activation> {
  const wasmPackage = (await importBackendPackage('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  // Node has no fetch of file:// URLs; given a plain directory path, the Emscripten loader reads the .wasm binary
  // with fs.readFileSync. Resolving the package from here works from source and from the electron-vite bundle.
  const distFolder = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  if (tf.findBackend('wasm') === null) {
    wasmPackage.setWasmPaths(distFolder + sep);
    if (threads !== undefined) wasmPackage.setThreadsCount(threads);
  }
  await activate('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const patched = installTransposeFreeMatMul();
  const addon = nativeMatMul === false ? ({ ok: false, reason: 'disabled: loadBackend({ nativeMatMul: false })' } as const) : addonForWasm();
  let native = '';
  if (addon.ok) {
    const { instructionSet, microKernel, threads: addonThreads } = addon.addon.info();
    const kernels = [...installNativeMatMul(addon.addon), ...installNativeLayoutKernels(addon.addon)];
    native = `, native ${kernels.slice(0, -1).join(', ')} and ${kernels.at(-1)} (evgap_matmul, ${instructionSet} ${microKernel} kernel, ${addonThreads} threads)`;
  } else {
    removeNativeMatMul();
    removeNativeLayoutKernels();
  }
  return {
    details:
      `wasm (@tensorflow/tfjs-backend-wasm ${wasmPackage.version_wasm}, ${simd ? 'SIMD' : 'no SIMD'}, ` +
      `${wasmPackage.getThreadsCount()} thread(s), transpose-free ${patched.join(' and ')}${native})`,
    attempts: [addon.ok ? { name: nativeMatMulAttempt, ok: true } : { name: nativeMatMulAttempt, ok: false, reason: addon.reason }],
  };
}

/** The native addon, if it loads and can reach the wasm backend's memory (a plain ArrayBuffer, not shared). */
function addonForWasm(): ReturnType<typeof loadMatMulAddon> {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.buffer;
  if (!(heap instanceof ArrayBuffer)) {
    return { ok: false, reason: "not usable: the wasm backend's memory is not a plain ArrayBuffer (threaded wasm build?)" };
  }
  return loadMatMulAddon();
}

/**
 * Initializes a registered backend and makes it the active one. The factory is called here, not inside
 * tf.setBackend, because tf.setBackend only logs an initialization error and returns false; the initialized
 * instance is then registered in place of its factory, keeping the factory's priority.
 */
async function activate(name: string): Promise<void> {
  if (tf.findBackend(name) === null) {
    const factory = tf.findBackendFactory(name);
    if (factory === null) throw new BackendUnavailable(`failed to initialize: no '${name}' backend is registered`);
    const priority = tf.engine().registryFactory[name]?.priority;
    const instance = await factory();
    tf.removeBackend(name);
    tf.registerBackend(name, () => instance, priority);
  }
  if (!(await tf.setBackend(name))) {
    throw new BackendUnavailable(`failed to initialize: tf.setBackend('${name}') returned false`);
  }
  await tf.ready();
}
