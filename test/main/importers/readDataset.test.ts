// The one import pipeline: every format stops the same way when its signal is aborted at its first progress
// report (ImportCancelledError, nothing returned to commit), and the import checks run on what every reader reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportCancelledError, ImportCheckError } from '../../../main/importers/common/errors';
import { readDataset, type ImportFormat } from '../../../main/importers/readDataset';
import { useTempDir } from '../catalog/fixtures/catalogFixtures';
import { assembly101Npy, folderDataset, writeMatrix } from '../cli/badInputFixtures';

const tempDir = useTempDir();

const CHARADES_HEADER = 'id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length,egocentric,charades_video';

function charades(root: string, pairs: number, actions = 'c001 0.0 1.0'): string {
  const rows = [CHARADES_HEADER];
  mkdirSync(join(root, 'features'), { recursive: true });
  for (let i = 0; i < pairs; i++) {
    const id = `AB${String(i).padStart(3, '0')}`;
    rows.push(`${id},P1,Kitchen,5,5,Yes,s,o,d,${actions},2,No,${id}`, `${id}EGO,P1,Kitchen,5,5,Yes,s,o,d,,2,Yes,${id}`);
    writeMatrix(join(root, 'features', `${id}.npy`), 48, 4);
    writeMatrix(join(root, 'features', `${id}EGO.npy`), 48, 4);
  }
  writeFileSync(join(root, 'CharadesEgo_v1_train.csv'), rows.join('\n') + '\n');
  return root;
}

function egoExo4d(root: string, takes: number): string {
  const list = Array.from({ length: takes }, (_, i) => {
    const name = `take_${i}`;
    mkdirSync(join(root, 'features', name), { recursive: true });
    for (const cam of ['aria01', 'cam01']) writeMatrix(join(root, 'features', name, `${cam}.npy`), 60, 4);
    return { take_name: name, take_uid: `uid-${i}`, root_dir: `takes/${name}`, frame_aligned_videos: { aria01: { rgb: {} }, cam01: { '0': {} } } };
  });
  writeFileSync(join(root, 'takes.json'), JSON.stringify(list));
  return root;
}

const datasets: Record<ImportFormat, (root: string) => string> = {
  folder: (root) => folderDataset(root, { scenes: 4, views: 3, frames: 60 }),
  assembly101: (root) => assembly101Npy(root, { sequences: 3 }),
  'charades-ego': (root) => charades(root, 4),
  egoexo4d: (root) => egoExo4d(root, 4),
};

describe('readDataset', () => {
  it.each(Object.keys(datasets) as ImportFormat[])('%s: stops at an aborted signal, at its first progress report', async (format) => {
    const root = datasets[format](join(tempDir(), format));
    expect((await readDataset({ format, root, featureDim: format === 'assembly101' ? 8 : undefined })).spec.scenes.length).toBeGreaterThan(0);
    const controller = new AbortController();
    let reports = 0;
    const run = readDataset(
      { format, root, featureDim: format === 'assembly101' ? 8 : undefined },
      {
        signal: controller.signal,
        onProgress: () => {
          reports++;
          controller.abort();
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
    expect(reports).toBe(1);
  });

  it('runs the import checks on every format: an Assembly101 coarse segment past the end of its tracks', async () => {
    const root = assembly101Npy(join(tempDir(), 'a101'), { frames: 40, labelEnd: 50 });
    const error = await readDataset({ format: 'assembly101', root, featureDim: 8 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportCheckError);
    expect((error as ImportCheckError).problems.map((p) => p.kind)).toEqual(['segmentOutsideScene']);
    expect((error as Error).message).toMatch(/disassembly_.*\.txt:1: segment \[25, 50\) "detach cabin" ends after the scene's last frame \(40 frames, its longest track\)/);
  });

  it('lets Charades actions overlap (multi-label) and its pairs differ in length (not synchronized)', async () => {
    const root = charades(join(tempDir(), 'charades'), 1, 'c001 0.0 1.5;c002 0.5 1.9');
    writeMatrix(join(root, 'features', 'AB000EGO.npy'), 20, 4);
    const { report, spec } = await readDataset({ format: 'charades-ego', root });
    expect(spec.scenes[0]!.segments).toHaveLength(2);
    expect(report.issues).toEqual([]);
  });
});
