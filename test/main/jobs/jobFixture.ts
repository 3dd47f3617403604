// What the PyTorch job tests share: Debian's Python with torch (a missing one fails the test with the reason and
// how to install it), a demo data folder made by the CLI, jobs exported into it, running evgap_torch from a job
// folder's own copy, and reading what training wrote (metrics.jsonl, safetensors checkpoints, .npy batches).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readSafetensors, type Float32Tensor } from '../../../main/engine/weights/safetensors';
import { runCaptured } from '../cli/cliHarness';

/** Debian's interpreter, which has python3-torch (the `python3` on PATH may be another one). */
export const python = '/usr/bin/python3';

let torchChecked = false;

/** Fails with the reason when this machine cannot run evgap_torch (CI installs it in .ci/run). */
export function requirePythonTorch(): void {
  if (torchChecked) return;
  const probe = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `${python} with torch and numpy is needed for the PyTorch job tests (apt-get install python3-torch python3-numpy python3-lmdb): ${probe.error?.message ?? probe.stderr.trim()}`,
    );
  }
  torchChecked = true;
}

/** `evgap demo` (3 scenes, 32-d, no videos) registered as "demo" in `dataDir`. */
export async function createDemoData(dataDir: string): Promise<void> {
  const result = await runCaptured(['demo', '--data', dataDir, '--no-pipeline', '--no-videos', '--scenes', '3', '--dim', '32']);
  expect(result.code, result.stderr).toBe(0);
}

/** The evgap CLI in this process (never stopped by a signal); fails the test with its output on a non-zero exit. */
export async function evgap(args: string[]): Promise<string> {
  const result = await runCaptured(args, { stop: new Promise<string>(() => {}) });
  expect(result.code, `evgap ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

export type PythonResult = { code: number | null; stdout: string; stderr: string };

/** `python -m evgap_torch.<module> ...` from the job folder's own copy of the package. */
export function runJobModule(job: string, module: string, args: string[], env: NodeJS.ProcessEnv = {}): PythonResult {
  const result = spawnSync(python, ['-m', `evgap_torch.${module}`, ...args], {
    cwd: job,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(job, 'python'), OMP_NUM_THREADS: '1', ...env },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** launch.sh with Debian's Python, as a child process (its own process group, so the whole job can be killed). */
export function startLaunch(job: string, args: string[]): ChildProcess & { output: () => string } {
  const child = spawn(join(job, 'launch.sh'), args, {
    cwd: job,
    env: { ...process.env, PYTHON: python, OMP_NUM_THREADS: '1' },
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export type MetricsLine = { step: number; loss: number; [name: string]: number };

export function readMetricsFile(job: string): MetricsLine[] {
  const path = join(job, 'output', 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as MetricsLine);
}

export function readWeights(path: string): Map<string, Float32Tensor> {
  return readSafetensors(readFileSync(path), path).tensors;
}

/** The largest |a − b| over every tensor both files hold (and the names only one holds). */
export function largestDifference(a: Map<string, Float32Tensor>, b: Map<string, Float32Tensor>): { value: number; name: string; unmatched: string[] } {
  let value = 0;
  let name = '';
  const unmatched = [...a.keys()].filter((key) => !b.has(key)).concat([...b.keys()].filter((key) => !a.has(key)));
  for (const [key, tensor] of a) {
    const other = b.get(key);
    if (other === undefined) continue;
    for (let i = 0; i < tensor.data.length; i++) {
      const difference = Math.abs(tensor.data[i]! - other.data[i]!);
      if (!(difference <= value)) {
        value = difference;
        name = key;
      }
    }
  }
  return { value, name, unmatched };
}

/** A float32 C-order .npy as written by numpy.save (format 1.0): its shape and values. */
export function readFloat32Npy(path: string): { shape: number[]; data: Float32Array } {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  if (!header.includes("'descr': '<f4'") || !header.includes("'fortran_order': False")) throw new Error(`${path}: expected a C-order float32 .npy, header ${header}`);
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1]!.split(',').filter((s) => s.trim() !== '').map(Number);
  const start = 10 + headerLength;
  return { shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length)) };
}
