// What a test suite needs from this machine (the built app, the native addon, Debian's python3-torch …), checked in
// one way everywhere so that no test passes silently. A suite or test whose precondition is missing is skipped with
// the reason in its title outside CI; under CI=true it is not registered at all and one failing test naming the
// reason stands in its place. EVGAP_TEST_MISSING (a comma-separated list of precondition names) marks preconditions
// missing on purpose, to see what a machine without them reports.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { MatMulAddonLoad } from '../native/matmul/index';

const projectDir = join(import.meta.dirname, '..');

/** Something a test needs: `missing` says why it is not here and how to get it, or is null when it is. */
export interface Precondition {
  readonly name: string;
  readonly missing: string | null;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** `probe` answers why the precondition is not met (a reason with its fix), or null/undefined when it is. */
export function precondition(name: string, probe: () => string | null | undefined, env: Environment = process.env): Precondition {
  const markedMissing = (env['EVGAP_TEST_MISSING'] ?? '').split(',').map((entry) => entry.trim());
  if (markedMissing.includes(name)) return { name, missing: 'marked missing by EVGAP_TEST_MISSING' };
  return { name, missing: probe() ?? null };
}

/** A file of the built app, named by its path relative to the project (e.g. the training worker out/main/worker.js). */
export function builtFile(path: string): Precondition {
  return precondition(path, () =>
    existsSync(join(projectDir, path)) ? null : 'not built (run `npx electron-vite build`; `npm test` builds first)',
  );
}

/** The native matMul addon (native/matmul), as its loader found it: built, loaded and self-checked, or why not. */
export function matmulAddon(load: MatMulAddonLoad): Precondition {
  return precondition('native-matmul', () => (load.ok ? null : load.reason));
}

export type Verdict = { run: true } | { run: false; skip: string } | { run: false; fail: string };

/** What becomes of a test that needs `preconditions`: it runs, or (any missing) is skipped, or fails under CI=true. */
export function verdict(preconditions: readonly Precondition[], env: Environment = process.env): Verdict {
  const reasons = preconditions.filter((p) => p.missing !== null).map((p) => `${p.name}: ${p.missing}`);
  if (reasons.length === 0) return { run: true };
  const reason = reasons.join('; ');
  return env['CI'] === 'true' ? { run: false, fail: reason } : { run: false, skip: reason };
}

export class MissingPreconditionError extends Error {
  override name = 'MissingPreconditionError';
}

type TestBody = () => unknown;

/** Registers a skipped test or suite and says why on stderr, which the test run shows beside the file. */
function skipped(name: string, reason: string, register: () => void): void {
  console.warn(`skipped "${name}": ${reason} (under CI=true this fails)`);
  register();
}

/**
 * `describe` and `it` for tests that need `preconditions`: registered as usual when all are met; otherwise skipped
 * with the reason, or under CI=true replaced by one test that fails with it.
 */
export function needs(...preconditions: Precondition[]) {
  const decided = verdict(preconditions);
  const failing = (reason: string) => () => {
    throw new MissingPreconditionError(`missing precondition (CI=true runs every test): ${reason}`);
  };
  const names = preconditions.map((p) => p.name).join(', ');
  return {
    describe(name: string, body: () => void): void {
      if (decided.run) describe(name, body);
      else if ('fail' in decided) describe(name, () => it(`has what it needs (${names})`, failing(decided.fail)));
      else skipped(name, decided.skip, () => describe.skip(`${name} (skipped: ${decided.skip})`, body));
    },
    it(name: string, body: TestBody, timeout?: number): void {
      if (decided.run) it(name, body, timeout);
      else if ('fail' in decided) it(name, failing(decided.fail));
      else skipped(name, decided.skip, () => it.skip(`${name} (skipped: ${decided.skip})`, body));
    },
  };
}
