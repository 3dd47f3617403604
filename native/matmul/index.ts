// Loads evgap_matmul, the project's native SGEMM addon (see README.md here), once per process, and says exactly why
// when it cannot be used: switched off, not built (with the install-time build's own reason), failed to load, no
// CPU support (it needs AVX2+FMA or AVX-512F; its portable kernel is slower than the wasm backend's SIMD one), or
// failed the self-check it runs at load against a plain float64 product.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type InstructionSetName = 'avx512' | 'avx2' | 'portable';

/** Whether products asked for in bf16 run in bf16 (AVX512_BF16), and how that was established or why not. */
export type Bf16Info = {
  enabled: boolean;
  /** 'cpuid', 'probe' (CPUID hides it, a probe ran it correctly), or the reason it is off. */
  detail: string;
  /** Register tile of the bf16 microkernel, 'MRxNR'. */
  microKernel: string;
};

/** Precision codes of the addon's products (src/sgemm.h). */
export const addonPrecisions = { fp32: 0, bf16: 1 } as const;
export type AddonPrecision = keyof typeof addonPrecisions;

export type MatMulAddonInfo = {
  /** The kernel in use. */
  instructionSet: InstructionSetName;
  /** Every kernel this CPU can run, fastest first. */
  supported: InstructionSetName[];
  /** Threads of the addon's pool, the calling thread included (EVGAP_MATMUL_THREADS, else all cores). */
  threads: number;
  /** Register tile of the microkernel, 'MRxNR'. */
  microKernel: string;
  bf16: Bf16Info;
};

/** Activation codes of the epilogue, in the addon's order (src/sgemm.h). */
export const addonActivations = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const;

/** The addon's exports (src/addon.cc). Offsets are in bytes into `memory`, batch offsets in floats. */
export type MatMulAddon = {
  matmul(
    memory: ArrayBuffer,
    aByteOffset: number,
    bByteOffset: number,
    outByteOffset: number,
    aBatchOffsets: Uint32Array,
    bBatchOffsets: Uint32Array,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    /** addonPrecisions: 0 float32, 1 bf16 operands with float32 sums (float32 where bf16 is not enabled). */
    precision: number,
    ...epilogue: [] | [biasByteOffset: number, biasLength: number, activation: number, alpha: number, preluByteOffset: number, preluLength: number]
  ): void;
  /** out = x with its axes permuted (output axis i is input axis perm[i]); 4-byte elements. */
  transpose(memory: ArrayBuffer, xByteOffset: number, outByteOffset: number, shape: Uint32Array, perm: Uint32Array): void;
  /** out = x[begin : begin + size] along every axis; 4-byte elements. */
  slice(memory: ArrayBuffer, xByteOffset: number, outByteOffset: number, shape: Uint32Array, begin: Uint32Array, size: Uint32Array): void;
  /** out[begin : begin + size] = x, out of `shape` (its other elements unchanged), x of shape `size`; 4-byte elements. */
  place(memory: ArrayBuffer, xByteOffset: number, outByteOffset: number, shape: Uint32Array, begin: Uint32Array, size: Uint32Array): void;
  /** out[o][i] = Σ_r x[o][r][i] for float32 x viewed as [outer, reduced, inner]. */
  sum(memory: ArrayBuffer, xByteOffset: number, outByteOffset: number, outer: number, reduced: number, inner: number): void;
  info(): MatMulAddonInfo;
  /** Switches kernels; false when this CPU cannot run `name`. */
  useInstructionSet(name: InstructionSetName): boolean;
  /** Where CPUID does not report AVX512_BF16, runs the bf16 kernel once (illegal instructions caught) and enables it if right. */
  probeBf16(): Bf16Info;
  /** false: bf16 products run in float32 from now on; true: back to what the CPU allows. */
  allowBf16(allowed: boolean): Bf16Info;
  /** true: every kernel called from this thread runs on it alone, never on the shared pool (no waiting for other
   *  threads' calls); false: large ones are spread over the pool again. Results are the same either way. */
  keepOnCallingThread(on: boolean): void;
  // The fused training kernels (src/addonFused.cc); every offset is a byte offset into `memory`.
  /** LayerNorm over rows of `width`; stats [rows, 2] = (mean, 1/std). */
  layerNorm(memory: ArrayBuffer, x: number, gamma: number, beta: number, y: number, stats: number, rows: number, width: number, epsilon: number): void;
  layerNormBackward(memory: ArrayBuffer, dy: number, x: number, gamma: number, stats: number, dx: number, dGamma: number, dBeta: number, rows: number, width: number): void;
  /** qkv [batch·length, 3·modelDim] → output [batch·length, modelDim], probabilities [batch, heads, length, length]. */
  attention(memory: ArrayBuffer, qkv: number, output: number, probabilities: number, batch: number, length: number, heads: number, modelDim: number): void;
  attentionBackward(memory: ArrayBuffer, dOutput: number, qkv: number, probabilities: number, dQkv: number, batch: number, length: number, heads: number, modelDim: number): void;
  reluBiasBackward(memory: ArrayBuffer, dy: number, y: number, dyMasked: number, dBias: number, rows: number, columns: number): void;
  /** out = a + b over `size` float32 values (byte offsets; out may be a or b). */
  add(memory: ArrayBuffer, a: number, b: number, out: number, size: number): void;
  /** In place allowed; returns [Σ grad², Σ paramOut²]. */
  adamUpdate(
    memory: ArrayBuffer,
    param: number,
    grad: number,
    firstMoment: number,
    secondMoment: number,
    paramOut: number,
    firstMomentOut: number,
    secondMomentOut: number,
    size: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    stepSize: number,
    secondCorrection: number,
    decayFactor: number,
  ): [number, number];
  /** bias < 0: none. */
  tapSum(memory: ArrayBuffer, z: number, bias: number, y: number, batch: number, length: number, channels: number, taps: number, dilation: number, relu: boolean): void;
  tapScatter(memory: ArrayBuffer, dy: number, dz: number, batch: number, length: number, channels: number, taps: number, dilation: number): void;
  /** BatchNorm over the rows of x [rows, channels] with its own statistics (then ReLU); stats [3, channels] = (mean, 1/std, biased var). */
  batchNorm(memory: ArrayBuffer, x: number, gamma: number, beta: number, y: number, stats: number, rows: number, channels: number, epsilon: number, relu: boolean): void;
  batchNormBackward(memory: ArrayBuffer, dy: number, x: number, y: number, gamma: number, stats: number, dx: number, dGamma: number, dBeta: number, rows: number, channels: number, relu: boolean): void;
  /**
   * One token of clip resampling on JS arrays: out[outOffset + f] = x_f + weight·(y_f − x_f), f < dim, in float64
   * rounded to float32 (as JavaScript computes it); x and y float32 values or float16 bit patterns; y unused at weight 0.
   */
  lerpFrames(
    out: Float32Array,
    outOffset: number,
    x: Float32Array | Uint16Array,
    xOffset: number,
    y: Float32Array | Uint16Array | null,
    yOffset: number,
    weight: number,
    dim: number,
  ): void;
};

export type MatMulAddonLoad =
  | { ok: true; addon: MatMulAddon; file: string; info: MatMulAddonInfo }
  | { ok: false; reason: string };

export type LoadMatMulAddonOptions = {
  /** The .node file to load instead of the built one (tests use a missing path to play "not built"). */
  file?: string;
};

/** The environment switch that turns the addon off: EVGAP_NATIVE_MATMUL=0 (or off / false). */
export const disableVariable = 'EVGAP_NATIVE_MATMUL';

/**
 * How the bf16 kernel is chosen: unset or 'cpuid' — where CPUID reports AVX512_BF16; 'probe' — also where CPUID
 * hides it but the processor runs it (a probe at load, illegal instructions caught); 'off' — never.
 */
export const bf16Variable = 'EVGAP_MATMUL_BF16';

const addonFileName = 'evgap_matmul.node';
const relativeBuildPath = join('build', 'Release', addonFileName);
const cached = new Map<string, MatMulAddonLoad>();

/** Whether EVGAP_NATIVE_MATMUL switches the addon off. */
export function nativeMatMulDisabled(): boolean {
  return ['0', 'off', 'false', 'no'].includes((process.env[disableVariable] ?? '').trim().toLowerCase());
}

/**
 * The addon, loaded and self-checked (once per file and process), or why it cannot be used.
 * EVGAP_MATMUL_ADDON=path loads that file instead of the built one (e.g. a missing path plays "not built");
 * EVGAP_MATMUL_ISA=avx2|portable picks a slower kernel than the best one (for comparisons).
 */
export function loadMatMulAddon(options: LoadMatMulAddonOptions = {}): MatMulAddonLoad {
  if (nativeMatMulDisabled()) return { ok: false, reason: `disabled: ${disableVariable}=${process.env[disableVariable]}` };
  const file = options.file ?? (process.env['EVGAP_MATMUL_ADDON'] || builtAddonFile());
  let load = cached.get(file);
  if (load === undefined) {
    load = loadFile(file);
    cached.set(file, load);
  }
  return load;
}

/** Where the built addon is: beside this module in the source tree, or from the bundle (out/…) two folders up. */
function builtAddonFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, relativeBuildPath)];
  for (let folder = here, up = 0; up < 4; up++, folder = dirname(folder)) {
    candidates.push(join(folder, 'native', 'matmul', relativeBuildPath));
  }
  // Electron cannot dlopen from inside app.asar; the packager unpacks .node files next to it.
  const unpacked = candidates.map((candidate) => candidate.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`));
  return unpacked.find((candidate) => existsSync(candidate)) ?? (unpacked[0] as string);
}

function loadFile(file: string): MatMulAddonLoad {
  if (!existsSync(file)) return { ok: false, reason: `not built: ${file} does not exist${buildFailureNote(file)}` };
  let addon: MatMulAddon;
  try {
    addon = createRequire(import.meta.url)(file) as MatMulAddon;
  } catch (error) {
    return { ok: false, reason: `failed to load ${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const requested = process.env['EVGAP_MATMUL_ISA'];
  if (requested !== undefined && requested !== '') {
    if (!addon.info().supported.includes(requested as InstructionSetName)) {
      return { ok: false, reason: `no CPU support: EVGAP_MATMUL_ISA=${requested} but this CPU runs only ${addon.info().supported.join(', ')}` };
    }
    addon.useInstructionSet(requested as InstructionSetName);
  }
  const bf16Mode = (process.env[bf16Variable] ?? '').trim().toLowerCase();
  if (bf16Mode === 'probe') addon.probeBf16();
  else if (bf16Mode === 'off') addon.allowBf16(false);
  else if (bf16Mode !== '' && bf16Mode !== 'cpuid') return { ok: false, reason: `${bf16Variable}=${process.env[bf16Variable]}: expected cpuid, probe or off` };
  const info = addon.info();
  if (info.instructionSet === 'portable' && requested !== 'portable') {
    return { ok: false, reason: 'no CPU support: needs AVX2 with FMA or AVX-512F, this CPU has neither' };
  }
  const mismatch = selfCheck(addon) ?? layoutSelfCheck(addon);
  if (mismatch !== undefined) return { ok: false, reason: `failed self-check at load (${info.instructionSet} kernel): ${mismatch}` };
  return { ok: true, addon, file, info };
}

/** The reason the install-time build recorded (build.js), if it failed. */
function buildFailureNote(file: string): string {
  const failureFile = join(dirname(dirname(dirname(file))), 'build-failure.txt');
  if (!existsSync(failureFile)) return ' (run `node native/matmul/build.js`; it needs a C++ compiler)';
  return `; the install-time build failed: ${readFileSync(failureFile, 'utf8').trim()}`;
}

/**
 * Multiplies small seeded matrices whose sizes cross the microkernels' tile edges and the cache blocking's depth,
 * in all four transpose combinations with a broadcast batch, and compares with a float64 product.
 * Returns a description of the first mismatch, or undefined.
 */
function selfCheck(addon: MatMulAddon): string | undefined {
  const [m, n, k, batch] = [29, 37, 263, 2];
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 1073741824 - 1;
  };
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const memory = new ArrayBuffer(4 * (m * k + batch * k * n + batch * m * n));
      const a = new Float32Array(memory, 0, m * k);
      const b = new Float32Array(memory, 4 * m * k, batch * k * n);
      for (const operand of [a, b]) operand.forEach((_, index) => (operand[index] = random()));
      const out = new Float32Array(memory, 4 * (m * k + batch * k * n), batch * m * n);
      const aOffsets = new Uint32Array(batch); // A broadcast over the batch
      const bOffsets = Uint32Array.from({ length: batch }, (_, entry) => entry * k * n);
      addon.matmul(memory, a.byteOffset, b.byteOffset, out.byteOffset, aOffsets, bOffsets, m, n, k, transposeA, transposeB, addonPrecisions.fp32);
      for (let entry = 0; entry < batch; entry++) {
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let expected = 0;
            for (let p = 0; p < k; p++) {
              const left = a[transposeA ? p * m + i : i * k + p] as number;
              const right = b[entry * k * n + (transposeB ? j * k + p : p * n + j)] as number;
              expected += left * right;
            }
            const actual = out[(entry * m + i) * n + j] as number;
            if (!(Math.abs(actual - expected) <= 1e-4 * Math.sqrt(k))) {
              return `transposeA=${transposeA} transposeB=${transposeB}: C[${entry}][${i}][${j}] = ${actual}, expected ${expected}`;
            }
          }
        }
      }
    }
  }
  return undefined;
}

/**
 * Transposes a [3, 70, 5] block with perm [2, 0, 1], slices [1:3, 3:63, 0:5] out of it and sums it over its middle
 * axis, against plain loops.
 */
function layoutSelfCheck(addon: MatMulAddon): string | undefined {
  const [d0, d1, d2] = [3, 70, 5];
  const size = d0 * d1 * d2;
  const memory = new ArrayBuffer(4 * (3 * size + d0 * d2));
  const x = new Float32Array(memory, 0, size);
  x.forEach((_, index) => (x[index] = (index * 7919) % 101));
  const transposed = new Float32Array(memory, 4 * size, size);
  const sums = new Float32Array(memory, 8 * size, d0 * d2);
  addon.transpose(memory, 0, transposed.byteOffset, Uint32Array.of(d0, d1, d2), Uint32Array.of(2, 0, 1));
  addon.sum(memory, 0, sums.byteOffset, d0, d1, d2);
  const sliced = new Float32Array(memory, 4 * (2 * size + d0 * d2), 2 * 60 * d2);
  addon.slice(memory, 0, sliced.byteOffset, Uint32Array.of(d0, d1, d2), Uint32Array.of(1, 3, 0), Uint32Array.of(2, 60, d2));
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 60; j++) {
      for (let k = 0; k < d2; k++) {
        if (sliced[(i * 60 + j) * d2 + k] !== x[((i + 1) * d1 + j + 3) * d2 + k]) return `slice [1:3, 3:63, 0:5]: element (${i}, ${j}, ${k}) wrong`;
      }
    }
  }
  for (let i = 0; i < d0; i++) {
    for (let k = 0; k < d2; k++) {
      let sum = 0;
      for (let j = 0; j < d1; j++) {
        const value = x[(i * d1 + j) * d2 + k] as number;
        sum += value;
        if (transposed[(k * d0 + i) * d1 + j] !== value) return `transpose [${d0}, ${d1}, ${d2}] by [2, 0, 1]: element (${i}, ${j}, ${k}) misplaced`;
      }
      if (sums[i * d2 + k] !== sum) return `sum over the middle axis of [${d0}, ${d1}, ${d2}]: (${i}, ${k}) = ${sums[i * d2 + k]}, expected ${sum}`;
    }
  }
  return undefined;
}
