// Installing where the addon cannot be built: the install-time build (native/matmul/build.js, run by `npm ci`)
// fails softly with one line and records why, the loader then reports "not built" with that reason, and the
// addon's argument checks refuse out-of-bounds products instead of touching memory. The build runs in a temporary
// copy of native/matmul, so the addon the other tests use is left alone.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMatMulAddon, type MatMulAddon } from '../../native/matmul/index';
import { matmulAddon, needs } from '../preconditions';

const addonSource = join(__dirname, '..', '..', 'native', 'matmul');
const scratch = mkdtempSync(join(tmpdir(), 'evgap-matmul-install-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the addon's sources (no build output) in a fresh folder. */
function sourceCopy(name: string): string {
  const folder = join(scratch, name);
  for (const entry of ['binding.gyp', 'build.js', 'src']) cpSync(join(addonSource, entry), join(folder, entry), { recursive: true });
  return folder;
}

function runBuild(folder: string, env: Record<string, string>): { status: number | null; lines: string[] } {
  const result = spawnSync(process.execPath, [join(folder, 'build.js')], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.split('\n').filter((line) => line !== '') };
}

describe('an install without a C++ compiler', () => {
  // These read the loader's own reasons, so the suite's EVGAP_NATIVE_MATMUL (if it turns the addon off) is set aside.
  const suiteSetting = process.env['EVGAP_NATIVE_MATMUL'];
  beforeAll(() => {
    delete process.env['EVGAP_NATIVE_MATMUL'];
  });
  afterAll(() => {
    if (suiteSetting !== undefined) process.env['EVGAP_NATIVE_MATMUL'] = suiteSetting;
  });

  it('still succeeds, prints one line and records why the addon was not built', () => {
    const folder = sourceCopy('no-compiler');
    const { status, lines } = runBuild(folder, { CXX: '/nonexistent/g++', CC: '/nonexistent/gcc' });
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^evgap: native matmul addon not built \(.+\); training will use the wasm backend's own kernels$/);
    expect(existsSync(join(folder, 'build', 'Release', 'evgap_matmul.node'))).toBe(false);
    const recorded = readFileSync(join(folder, 'build-failure.txt'), 'utf8').trim();
    expect(lines[0]).toContain(recorded);

    const load = loadMatMulAddon({ file: join(folder, 'build', 'Release', 'evgap_matmul.node') });
    expect(load.ok).toBe(false);
    expect(load.ok ? '' : load.reason).toMatch(/^not built: .*evgap_matmul\.node does not exist; the install-time build failed: /);
    expect(load.ok ? '' : load.reason).toContain(recorded);
  });

  it('can be told to skip the build', () => {
    const folder = sourceCopy('skipped');
    const { status, lines } = runBuild(folder, { EVGAP_SKIP_NATIVE_BUILD: '1' });
    expect(status).toBe(0);
    expect(lines).toEqual([
      "evgap: native matmul addon not built (EVGAP_SKIP_NATIVE_BUILD=1); training will use the wasm backend's own kernels",
    ]);
  });

  it('is switched off by EVGAP_NATIVE_MATMUL=0', () => {
    process.env['EVGAP_NATIVE_MATMUL'] = '0';
    try {
      expect(loadMatMulAddon()).toEqual({ ok: false, reason: 'disabled: EVGAP_NATIVE_MATMUL=0' });
    } finally {
      delete process.env['EVGAP_NATIVE_MATMUL'];
    }
  });

  it('says how to build the addon when no build was tried', () => {
    const load = loadMatMulAddon({ file: join(scratch, 'never-built', 'build', 'Release', 'evgap_matmul.node') });
    expect(load.ok ? '' : load.reason).toMatch(/^not built: .* does not exist \(run `node native\/matmul\/build\.js`; it needs a C\+\+ compiler\)$/);
  });
});

const built = loadMatMulAddon();

needs(matmulAddon(built)).describe('the addon\'s argument checks', () => {
  const addon = (built as { addon: MatMulAddon }).addon;
  const memory = new ArrayBuffer(4 * 64);
  const one = new Uint32Array(1);

  it('refuses operands that run past the end of the buffer', () => {
    expect(() => addon.matmul(memory, 0, 0, 4 * 60, one, one, 2, 4, 2, false, false, 0)).toThrow(
      /evgap_matmul\.matmul: outByteOffset 240 \+ 8 floats runs past the end of the buffer \(256 bytes\)/,
    );
    expect(() => addon.matmul(memory, 0, 0, 0, one, Uint32Array.of(60), 2, 2, 4, false, false, 0)).toThrow(/bByteOffset 0 \+ 68 floats runs past/);
  });

  it('refuses unaligned offsets, negative sizes and mismatched batch lists', () => {
    expect(() => addon.matmul(memory, 2, 0, 0, one, one, 1, 1, 1, false, false, 0)).toThrow(/expected aByteOffset to be a multiple of 4, got 2/);
    expect(() => addon.matmul(memory, 0, 0, 0, one, one, -1, 1, 1, false, false, 0)).toThrow(/expected m to be a non-negative integer/);
    expect(() => addon.matmul(memory, 0, 0, 0, one, new Uint32Array(2), 1, 1, 1, false, false, 0)).toThrow(
      /expected aBatchOffsets and bBatchOffsets of one length, got 1 and 2/,
    );
    expect(() => addon.matmul(memory, 0, 0, 0, [0] as unknown as Uint32Array, one, 1, 1, 1, false, false, 0)).toThrow(
      /expected aBatchOffsets to be a Uint32Array/,
    );
  });

  it('reports its kernel and threads, and switches only to kernels this CPU runs', () => {
    const info = addon.info();
    expect(info.supported).toContain('portable');
    expect(info.supported).toContain(info.instructionSet);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.microKernel).toMatch(/^\d+x\d+$/);
    expect(() => addon.useInstructionSet('sse9' as 'portable')).toThrow(/expected avx512, avx2 or portable, got sse9/);
  });
});
