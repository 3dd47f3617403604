// The AVX-512 bf16 packers (native/matmul/src/packing.cc, AVX512_BF16's conversions) against the scalar ones, bit for bit: bf16PackingCheck.cc is
// compiled with the machine's C++ compiler (the one that builds the addon) and run; it packs random operands with
// both and compares every value (rounding ties, NaN, infinities, denormals, odd depths, partial slivers).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { loadMatMulAddon } from '../../native/matmul/index';
import { needs, precondition } from '../preconditions';

const here = import.meta.dirname;
const compiler = precondition('c++ compiler', () => {
  const probe = spawnSync('c++', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? null : 'no `c++` on PATH (install build-essential; the native addon needs it too)';
});
const bf16Instructions = precondition('avx512-bf16', () => {
  const load = loadMatMulAddon();
  if (!load.ok) return `needs the native addon to read the CPU's features (${load.reason})`;
  const bf16 = load.addon.info().bf16;
  return bf16.enabled && bf16.detail === 'cpuid' ? null : `CPUID does not report AVX512_BF16 (${bf16.detail}): the vector packers are not used`;
});
const workDir = mkdtempSync(join(tmpdir(), 'evgap-bf16-packing-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

needs(compiler, bf16Instructions).it('packs bf16 slivers with AVX512_BF16 exactly as the scalar packers do', () => {
  const binary = join(workDir, 'bf16PackingCheck');
  const build = spawnSync(
    'c++',
    ['-O2', '-std=c++17', join(here, 'bf16PackingCheck.cc'), join(here, '../../native/matmul/src/cpuFeatures.cc'), '-o', binary],
    { encoding: 'utf8' },
  );
  expect(build.status, build.stderr).toBe(0);
  const run = spawnSync(binary, { encoding: 'utf8' });
  console.log(run.stdout.trim());
  expect(run.stdout).toMatch(/^6000 cases, 0 mismatches$/m);
  expect(run.status).toBe(0);
}, 120_000);
