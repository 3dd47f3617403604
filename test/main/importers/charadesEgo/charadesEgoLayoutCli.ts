// Writes a synthetic Charades-Ego-layout folder from the command line, to try step 1 on several datasets by hand:
//   npx vite build --ssr test/main/importers/charadesEgo/charadesEgoLayoutCli.ts --outDir out/charadesEgoLayout --logLevel warn
//   node out/charadesEgoLayout/charadesEgoLayoutCli.js DIR [--pairs N] [--dim D] [--frames T] [--seed S]
//   evgap import charades-ego DIR
import { parseArgs } from 'node:util';
import { writeCharadesEgoLayout } from './charadesEgoLayout';

const { values, positionals } = parseArgs({
  options: { pairs: { type: 'string' }, dim: { type: 'string' }, frames: { type: 'string' }, seed: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
const number = (text: string | undefined, fallback: number, name: string) => {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected an integer >= 1, got ${JSON.stringify(text)}`);
  return value;
};
const root = positionals[0];
if (root === undefined) throw new Error('usage: charadesEgoLayoutCli.js DIR [--pairs N] [--dim D] [--frames T] [--seed S]');
const options = { pairs: number(values.pairs, 24, 'pairs'), featureDim: number(values.dim, 2048, 'dim'), frames: number(values.frames, 480, 'frames'), seed: number(values.seed, 1, 'seed') };
const ids = writeCharadesEgoLayout(root, options);
console.log(`${root}: ${ids.train.length} train and ${ids.test.length} test pairs of ${options.frames}-frame, ${options.featureDim}-d videos`);
