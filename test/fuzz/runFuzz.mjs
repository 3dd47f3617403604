// `npm run fuzz -- --iterations N [--seed S]`: the format fuzz tests (test/fuzz) with N mutations per format,
// for a longer run before a release than the few hundred `npm test` runs. Prints each format's summary line.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
let iterations = '2000';
let seed = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--iterations') iterations = args[++i] ?? '';
  else if (args[i] === '--seed') seed = args[++i] ?? '';
  else {
    console.error(`fuzz: unknown option ${args[i]} (expected --iterations N, --seed S)`);
    process.exit(2);
  }
}
if (!/^[1-9][0-9]*$/.test(iterations) || (seed !== '' && !/^[0-9]+$/.test(seed))) {
  console.error('fuzz: expected --iterations to be a positive integer and --seed a non-negative integer');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');
const result = spawnSync(process.execPath, [resolve(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/fuzz', '--testTimeout', '0'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, EVGAP_FUZZ_ITERATIONS: iterations, ...(seed === '' ? {} : { EVGAP_FUZZ_SEED: seed }) },
});
process.exit(result.status ?? 1);
