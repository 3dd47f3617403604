// The precondition helper (test/preconditions.ts): what a suite becomes with its preconditions met or missing,
// inside and outside CI, and EVGAP_TEST_MISSING; then the same seen from outside, through a child vitest on the
// fixture suites of test/fixtures/preconditions, the way CI runs them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtFile, precondition, verdict } from './preconditions';

const projectDir = join(import.meta.dirname, '..');

describe('verdict', () => {
  const here = precondition('here', () => null, {});
  const absent = precondition('absent', () => 'not installed (apt-get install absent)', {});

  it('runs a test whose preconditions are all met', () => {
    expect(verdict([here], { CI: 'true' })).toEqual({ run: true });
    expect(verdict([], {})).toEqual({ run: true });
  });

  it('skips one with a missing precondition outside CI and fails it under CI=true, naming the reason', () => {
    expect(verdict([here, absent], {})).toEqual({ run: false, skip: 'absent: not installed (apt-get install absent)' });
    expect(verdict([here, absent], { CI: '1' })).toEqual({ run: false, skip: 'absent: not installed (apt-get install absent)' });
    expect(verdict([absent, absent], { CI: 'true' })).toEqual({
      run: false,
      fail: 'absent: not installed (apt-get install absent); absent: not installed (apt-get install absent)',
    });
  });

  it('treats a precondition named in EVGAP_TEST_MISSING as missing, without probing it', () => {
    let probed = false;
    const marked = precondition('out/main/worker.js', () => ((probed = true), null), { EVGAP_TEST_MISSING: 'native-matmul, out/main/worker.js' });
    expect(marked.missing).toBe('marked missing by EVGAP_TEST_MISSING');
    expect(probed).toBe(false);
    expect(precondition('out/main/pipeline.js', () => null, { EVGAP_TEST_MISSING: 'out/main/worker.js' }).missing).toBeNull();
  });

  it('says how to build a missing built file', () => {
    expect(builtFile('out/main/no-such-entry.js')).toEqual({
      name: 'out/main/no-such-entry.js',
      missing: 'not built (run `npx electron-vite build`; `npm test` builds first)',
    });
  });
});

type AssertionResult = { fullName: string; status: string; failureMessages: string[] };

/** Runs the fixture suites in a child vitest with `env`: its per-test results and what it printed. */
function runFixtures(env: Record<string, string>): Promise<{ results: AssertionResult[]; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env['CI'] === undefined) delete childEnv['CI'];
  if (env['EVGAP_TEST_MISSING'] === undefined) delete childEnv['EVGAP_TEST_MISSING'];
  const vitest = join(projectDir, 'node_modules', 'vitest', 'vitest.mjs');
  const config = join(projectDir, 'test', 'fixtures', 'preconditions', 'vitest.config.ts');
  const folder = mkdtempSync(join(tmpdir(), 'evgap-preconditions-'));
  const reportFile = join(folder, 'report.json');
  const args = [vitest, 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
  const child = spawn(process.execPath, args, { cwd: projectDir, env: childEnv });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      try {
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { testResults: { assertionResults: AssertionResult[] }[] };
        resolve({ results: report.testResults.flatMap((file) => file.assertionResults), output });
      } catch (error) {
        reject(new Error(`vitest wrote no JSON report (${(error as Error).message}):\n${output}`));
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
}

describe('needs, in a child vitest', () => {
  it('fails a missing precondition\'s suites and tests under CI=true with the reason, and skips them with it outside CI', async () => {
    const [ci, local] = await Promise.all([runFixtures({ CI: 'true' }), runFixtures({ EVGAP_TEST_MISSING: 'fixture-here' })]);
    const never = 'fixture-never: never installed (a fixture of the precondition tests)';

    expect(ci.results.map(({ fullName, status }) => [fullName, status])).toEqual([
      ['a suite with what it needs runs', 'passed'],
      ['a suite without it has what it needs (fixture-never)', 'failed'],
      ['a test without one of two', 'failed'],
    ]);
    for (const failed of ci.results.slice(1)) {
      expect(failed.failureMessages[0]).toMatch(`MissingPreconditionError: missing precondition (CI=true runs every test): ${never}`);
    }

    const marked = 'fixture-here: marked missing by EVGAP_TEST_MISSING';
    expect(local.results.map(({ fullName, status }) => [fullName, status])).toEqual([
      [`a suite with what it needs (skipped: ${marked}) runs`, 'skipped'],
      [`a suite without it (skipped: ${never}) would run`, 'skipped'],
      [`a test without one of two (skipped: ${marked}; ${never})`, 'skipped'],
    ]);
    expect(local.output).toContain(`skipped "a suite without it": ${never} (under CI=true this fails)`);
  });
});
