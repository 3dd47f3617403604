// A seeded, bounded fuzz loop for the parsers of untrusted files: each iteration writes one mutation of a valid
// file and parses it; every outcome must be a success or an error that names the file, within a time limit.
// Anything else (another error, a crash of the worker, a parse that overruns the limit) fails with the seed,
// iteration and mutation, so it reproduces. `npm run fuzz -- --iterations N` runs the same targets longer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SeededRandom } from '../../main/random/seededRandom';
import { mutate, mutateText, type MutationName } from './mutations';

export interface FuzzTarget {
  /** The format's name, as the summary line prints it ("npy", "lmdb data.mdb"). */
  name: string;
  /** Path of the fuzzed file relative to a fresh folder (e.g. "features.npy", "env/data.mdb"). */
  fileName: string;
  /** A valid file's bytes. */
  valid(): Uint8Array | Promise<Uint8Array>;
  /** Other files the parser needs beside the fuzzed one (relative path → bytes), written once per iteration. */
  companions?(): Record<string, Uint8Array>;
  /** Parses the file at `path` fully (every value the reader would hand on); throws on bad input. */
  parse(path: string): unknown | Promise<unknown>;
  /** Whether a thrown error is the expected kind for bad input (its message must also name the file). */
  isFormatError?(error: unknown): boolean;
  /** A text format: half of the mutations are text-shaped (mutations.ts mutateText). */
  text?: boolean;
}

export type FuzzSummary = {
  target: string;
  iterations: number;
  parsed: number;
  rejected: number;
  byMutation: Partial<Record<MutationName, number>>;
  slowestMs: number;
};

/** Iterations per target: EVGAP_FUZZ_ITERATIONS when set (npm run fuzz), else `fallback`. */
export function fuzzIterations(fallback: number): number {
  const value = process.env['EVGAP_FUZZ_ITERATIONS'];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected EVGAP_FUZZ_ITERATIONS to be a positive integer, got ${value}`);
  return n;
}

/** The mutation seed: EVGAP_FUZZ_SEED when set (npm run fuzz -- --seed S), else 1. */
export function fuzzSeed(): number {
  const value = process.env['EVGAP_FUZZ_SEED'];
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected EVGAP_FUZZ_SEED to be a non-negative integer, got ${value}`);
  return n;
}

export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

export async function fuzz(
  target: FuzzTarget,
  options: { iterations: number; seed?: number; timeLimitMs?: number },
): Promise<FuzzSummary> {
  const seed = options.seed ?? fuzzSeed();
  const timeLimitMs = options.timeLimitMs ?? 2_000;
  // A plain copy: a Buffer's slice() is a view, so mutations would otherwise pile up in the valid file.
  const valid = Uint8Array.from(await target.valid());
  const folder = mkdtempSync(join(tmpdir(), 'evgap-fuzz-'));
  const summary: FuzzSummary = { target: target.name, iterations: options.iterations, parsed: 0, rejected: 0, byMutation: {}, slowestMs: 0 };
  try {
    // The unmutated file must parse, or the target itself is wrong and every "rejected" below means nothing.
    const validPath = join(folder, 'valid', target.fileName);
    mkdirSync(dirname(validPath), { recursive: true });
    for (const [name, bytes] of Object.entries(target.companions?.() ?? {})) {
      mkdirSync(dirname(join(folder, 'valid', name)), { recursive: true });
      writeFileSync(join(folder, 'valid', name), bytes);
    }
    writeFileSync(validPath, valid);
    try {
      await target.parse(validPath);
    } catch (error) {
      throw new FuzzFailure(`${target.name}: the valid file does not parse: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      const random = new SeededRandom(seed * 1_000_003 + iteration);
      const mutation = target.text && random.uniform() < 0.5 ? mutateText(valid, random) : mutate(valid, random);
      summary.byMutation[mutation.name] = (summary.byMutation[mutation.name] ?? 0) + 1;
      const caseDir = join(folder, String(iteration));
      const path = join(caseDir, target.fileName);
      mkdirSync(dirname(path), { recursive: true });
      for (const [name, bytes] of Object.entries(target.companions?.() ?? {})) {
        mkdirSync(dirname(join(caseDir, name)), { recursive: true });
        writeFileSync(join(caseDir, name), bytes);
      }
      writeFileSync(path, mutation.bytes);
      const where = `${target.name}, seed ${seed}, iteration ${iteration} (${mutation.detail})`;
      const started = performance.now();
      try {
        await target.parse(path);
        summary.parsed++;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (target.isFormatError !== undefined && !target.isFormatError(error)) {
          throw new FuzzFailure(`${where}: unexpected error ${error instanceof Error ? error.name : typeof error}: ${message}`);
        }
        if (!message.includes(target.fileName.split('/').pop()!)) {
          throw new FuzzFailure(`${where}: the error does not name the file: ${message}`);
        }
        summary.rejected++;
      }
      const elapsed = performance.now() - started;
      summary.slowestMs = Math.max(summary.slowestMs, elapsed);
      if (elapsed > timeLimitMs) throw new FuzzFailure(`${where}: took ${elapsed.toFixed(0)} ms (limit ${timeLimitMs} ms)`);
      rmSync(caseDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return summary;
}

/** One line for the log: what the loop did. */
export function describeSummary(summary: FuzzSummary): string {
  const kinds = Object.entries(summary.byMutation).map(([k, v]) => `${k} ${v}`).join(', ');
  return `fuzz ${summary.target}: ${summary.iterations} mutations (${kinds}): ${summary.parsed} parsed, ${summary.rejected} rejected with a named error, slowest ${summary.slowestMs.toFixed(1)} ms`;
}
