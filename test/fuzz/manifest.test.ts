// Fuzz: the folder format's manifest.json — every mutation of a valid manifest (two scenes, views with features
// beside it) is read and checked as an import would be, or refused with an error naming the manifest.
import { dirname } from 'node:path';
import { expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import { formatNpyHeader, NpyFormatError } from '../../main/formats/npy';
import { checkDataset } from '../../main/importers/common/datasetChecks';
import { ImportCheckError, ImportFormatError } from '../../main/importers/common/errors';
import { readFolderDataset } from '../../main/importers/folder/readFolderDataset';
import { describeSummary, fuzz, fuzzIterations } from './fuzzHarness';

const FRAMES = 30;
const DIM = 4;

function npy(): Uint8Array {
  return Buffer.concat([formatNpyHeader('float32', [FRAMES, DIM]), Buffer.from(new Float32Array(FRAMES * DIM).fill(0.25).buffer)]);
}

const manifest = {
  format: 'evgap-folder',
  version: 1,
  name: 'fuzzed',
  fps: 15,
  vocabulary: [{ label: 'take', verb: 'take', object: 'cup' }, { label: 'put' }],
  scenes: ['s1', 's2'].map((scene, s) => ({
    name: scene,
    split: s === 0 ? 'train' : 'test',
    views: ['e1', 'v1'].map((view, v) => ({
      name: view,
      role: v === 0 ? 'ego' : 'exo',
      camera: `cam-${view}`,
      syncOffsetFrames: v,
      features: { file: `${scene}/${view}.npy`, layout: 'TF', dtype: 'float32' },
    })),
    segments: [
      { startFrame: 0, endFrame: 12, label: 'take', verb: 'take', object: 'cup' },
      { startFrame: 12, endFrame: FRAMES, label: 'put' },
    ],
  })),
};

it('reads and checks every mutated manifest.json or refuses it with an error naming it', async () => {
  const summary = await fuzz(
    {
      name: 'manifest',
      fileName: 'ds/manifest.json',
      valid: () => Buffer.from(JSON.stringify(manifest, null, 1)),
      companions: () => Object.fromEntries(['s1/e1', 's1/v1', 's2/e1', 's2/v1'].map((name) => [`ds/${name}.npy`, npy()])),
      parse: async (path) => checkDataset(await readFolderDataset(dirname(path))),
      text: true,
      isFormatError: (error) =>
        [ArgumentError, NotFoundError, ImportFormatError, ImportCheckError, NpyFormatError].some((type) => error instanceof type),
    },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
});
