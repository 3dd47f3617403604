// Fuzz: label files — MS-TCN per-frame label files (as `evgap segmentation-metrics` reads them, against a
// mapping's vocabulary) and Assembly101 coarse label files (as the importer reads them, against the real coarse
// action list). Every mutation is read in full or refused with an error naming the file.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { NotFoundError } from '../../contract/errors';
import { LabelFileError, readLabelFile } from '../../main/eval/segmentation/labelFiles';
import { readActionClasses, readCoarseLabelFile } from '../../main/importers/assembly101/annotations';
import { ImportFormatError } from '../../main/importers/common/errors';
import { TextFileError } from '../../main/formats/textLines';
import { describeSummary, fuzz, fuzzIterations } from './fuzzHarness';

const FIXTURES = '/work/shared/fixtures/assembly101';

it('reads every mutated MS-TCN label file or refuses it with an error naming the file', async () => {
  const labels = ['background', 'take_cup', 'pour_water', 'stir'];
  const frames = Array.from({ length: 200 }, (_, t) => labels[Math.floor(t / 30) % labels.length]!);
  const summary = await fuzz(
    {
      name: 'labels (MS-TCN per frame)',
      fileName: 'video01.txt',
      valid: () => Buffer.from(frames.join('\n') + '\n'),
      parse: (path) => readLabelFile(path, new Set(labels)),
      text: true,
      isFormatError: (error) => error instanceof LabelFileError || error instanceof NotFoundError,
    },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
});

it('reads every mutated Assembly101 coarse label file or refuses it with an error naming the file', async () => {
  const classes = readActionClasses(join(FIXTURES, 'coarse_actions.csv'));
  const names = [...classes.keys()];
  const lines = Array.from({ length: 40 }, (_, i) => `${String(i * 150).padStart(9, '0')}\t${String((i + 1) * 150).padStart(9, '0')}\t${names[(i * 7) % names.length]}`);
  const summary = await fuzz(
    {
      name: 'labels (Assembly101 coarse)',
      fileName: 'assembly_nusar-2021_action_both_9011-b06b_9011_user_id_2021-02-01_154253.txt',
      valid: () => Buffer.from(lines.join('\n') + '\n'),
      parse: (path) => readCoarseLabelFile(path, classes),
      text: true,
      isFormatError: (error) => error instanceof ImportFormatError || error instanceof TextFileError,
    },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
});
