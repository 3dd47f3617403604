// Chooses the TF.js backend for training and evaluation: the native TensorFlow bindings with CUDA
// (@tensorflow/tfjs-node-gpu), then without (@tensorflow/tfjs-node), then WebAssembly (@tensorflow/tfjs-backend-wasm,
// with its transposed matMul paths replaced, see wasmMatMul.ts), then plain JavaScript (cpu). On wasm it then
// tries the project's native addon (native/matmul, reported as 'native-matmul'), which takes over the backend's
// BatchMatMul and _FusedMatMul kernels, and Transpose, Slice, Sum, Concat, SplitV and Add, the next largest of a training step, and
// registers the engine's fused kernels (Linear, LayerNorm, BatchNorm, attention, the Adam update, the convolution taps). Every
// candidate that was skipped is reported with its reason, so the UI and the run record can say why training is slow
// (a short reason for people, "not installed", and the error's full text, with its file paths, as the detail), and
// so is whether bf16 mixed precision runs here (and why not).
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../contract/errors';
import { loadMatMulAddon, type Bf16Info } from './matmul/index';
import { installNativeFusedKernels, removeNativeFusedKernels } from './matmul/wasmFusedKernels';
import { installNativeLayoutKernels, removeNativeLayoutKernels } from './matmul/wasmLayoutKernels';
import { installSharedIdentity } from './wasmIdentity';
import { installNativeMatMul, installTransposeFreeMatMul, removeNativeMatMul } from './wasmMatMul';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export type BackendAttempt = {
  name: string;
  ok: boolean;
  /** Why it was skipped, in a few words: "not installed", "failed to initialize: <first line>". */
  reason?: string;
  /** The underlying error's full text, where it says more than the reason. */
  detail?: string;
};

export type BackendReport = {
  /** The backend now active, named as in BackendName. */
  backend: string;
  /** Every candidate tried, in order; the failed ones with their reason. */
  tried: BackendAttempt[];
  /** A one-line description of the active backend (module version, SIMD, threads, patched kernels). */
  details: string;
  /** Whether products asked for in bf16 run in bf16 here; if not, why (they then run in fp32). */
  bf16: { available: boolean; detail: string };
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

/** What a training run asked for and what runs: bf16 falls back to fp32 where the backend cannot, saying why. */
export type PrecisionInUse = { requested: 'fp32' | 'bf16'; used: 'fp32' | 'bf16'; note: string };

export function precisionInUse(requested: 'fp32' | 'bf16', report: Pick<BackendReport, 'bf16'>): PrecisionInUse {
  if (requested === 'fp32') return { requested, used: 'fp32', note: 'fp32' };
  if (report.bf16.available) return { requested, used: 'bf16', note: `bf16 matrix products, float32 sums, weights and optimizer (${report.bf16.detail})` };
  return { requested, used: 'fp32', note: `fp32 (bf16 requested: ${report.bf16.detail})` };
}

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

/** What activating a backend made of it: its details line, any further attempts it made (the addon), bf16. */
type Activation = { details: string; attempts?: BackendAttempt[]; bf16?: BackendReport['bf16'] };

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
      const { details, attempts = [], bf16 } = typeof activation === 'string' ? ({ details: activation } as Activation) : activation;
      tried.push({ name, ok: true }, ...attempts);
      return { backend: name, tried, details, bf16: bf16 ?? { available: false, detail: `the ${name} backend multiplies in float32 only` } };
    } catch (error) {
      tried.push({ name, ok: false, ...describeFailure(error) });
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
  constructor(
    message: string,
    /** The underlying error's full text. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

function describeFailure(error: unknown): Pick<BackendAttempt, 'reason' | 'detail'> {
  if (error instanceof BackendUnavailable) return { reason: error.message, ...(error.detail === undefined ? {} : { detail: error.detail }) };
  const message = messageOf(error);
  return { reason: `failed to initialize: ${shortText(message)}`, detail: message };
}

/** The first line of an error's text, with absolute file paths cut to their file names. */
export function shortText(message: string): string {
  const firstLine = message.split('\n', 1)[0]!.trim();
  return firstLine.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s'"`:;,()\\/]+)+[\\/]([^\s'"`:;,()\\/]+)/g, '…/$1');
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
    throw new BackendUnavailable(missing ? 'not installed' : `failed to initialize: ${shortText(messageOf(error))}`, messageOf(error));
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
  installSharedIdentity();
  const addon = nativeMatMul === false ? ({ ok: false, reason: 'disabled: loadBackend({ nativeMatMul: false })' } as const) : addonForWasm();
  let native = '';
  let bf16: BackendReport['bf16'] = { available: false, detail: `needs ${nativeMatMulAttempt}, not used here; bf16 products run in fp32` };
  if (addon.ok) {
    const { instructionSet, microKernel, threads: addonThreads, bf16: bf16Info } = addon.addon.info();
    const kernels = [...installNativeMatMul(addon.addon), ...installNativeLayoutKernels(addon.addon)];
    const fused = installNativeFusedKernels(addon.addon);
    bf16 = describeBf16(bf16Info);
    native =
      `, native ${kernels.slice(0, -1).join(', ')} and ${kernels.at(-1)} (evgap_matmul, ${instructionSet} ${microKernel} kernel, ` +
      `${addonThreads} threads), ${fused.length} fused kernels (Linear, LayerNorm, BatchNorm, attention, Adam, convolution taps); ` +
      `bf16: ${bf16.detail}`;
  } else {
    removeNativeMatMul();
    removeNativeLayoutKernels();
    removeNativeFusedKernels();
  }
  return {
    details:
      `wasm (@tensorflow/tfjs-backend-wasm ${wasmPackage.version_wasm}, ${simd ? 'SIMD' : 'no SIMD'}, ` +
      `${wasmPackage.getThreadsCount()} thread(s), transpose-free ${patched.join(' and ')}, zero-copy Identity${native})`,
    attempts: [addon.ok ? { name: nativeMatMulAttempt, ok: true } : { name: nativeMatMulAttempt, ok: false, reason: addon.reason }],
    bf16,
  };
}

/** The addon's bf16 state in words: which kernel, and how its support was established or why it is off. */
function describeBf16(info: Bf16Info): BackendReport['bf16'] {
  if (!info.enabled) return { available: false, detail: `${info.detail}; bf16 products run in fp32` };
  const how = info.detail === 'probe' ? 'CPUID hides AVX512_BF16, a probe ran it correctly' : 'AVX512_BF16 reported by CPUID';
  return { available: true, detail: `AVX512_BF16 ${info.microKernel} kernel; ${how}` };
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
