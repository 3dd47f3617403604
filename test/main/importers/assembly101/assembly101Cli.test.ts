// End to end through the built CLI (bin/evgap.js): an Assembly101 folder as the dataset ships it — TSM features as
// per-view LMDB environments written by the reference LMDB library (python3-lmdb), real metadata, one recording
// with views missing — is imported with `evgap import assembly101` (scenes, views, the missing ones listed,
// segments), `evgap retrieval --split all` runs on its raw features, and the dataset folder is left as it was. An
// empty, foreign or cut-short data.mdb is exit 1 with the file named, and the catalog keeps what it had.
// Each frame's features are a random vector shared by every view of a recording plus a little per-view noise, so
// raw-feature retrieval finds the right moment only when every frame is read from the right key.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { LMDB_FIRST_KEY_FRAME, lmdbFrameKey, lmdbKeyPrefix } from '../../../../main/features/lmdbTrack';
import { LmdbRecords, writeReferenceLmdbs } from '../../../fixtures/referenceLmdb';
import { assertBuilt, runEvgap } from '../../cli/processHarness';
import { EGO_FIRST_HEADSET, EGO_SECOND_HEADSET, EXO, TEST_SEQUENCE, TRAIN_SEQUENCE, tracksFor, writeAnnotations, writeLmdbFeatures } from './assembly101Fixture';

const DIM = 2048;
/** Frames per coarse part (assembly, disassembly) of each recording; the tracks hold both parts. */
const PART_FRAMES = 60;
const FRAMES = 2 * PART_FRAMES;
const VIEWS: Record<string, string[]> = {
  [TRAIN_SEQUENCE]: [...EGO_FIRST_HEADSET, ...EXO],
  // Without e4 (HMC_21179183_mono10bit), v7 and v8, which coarse_seq_views.txt lists for it.
  [TEST_SEQUENCE]: [...EGO_SECOND_HEADSET.slice(0, 3), ...EXO.slice(0, 6)],
};

let dir: string;
let root: string;
let data: string;
let datasetFiles: string[];

/** Every file under `folder` with its size and modification time. */
function listing(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const stat = statSync(path);
      return `${path} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

/** Per recording, one random unit-scale vector per frame; each view adds its own small noise. */
function writeFeatures(features: string): void {
  const environments = new Map<string, LmdbRecords>();
  Object.entries(VIEWS).forEach(([sequence, views], s) => {
    const moments = new SeededRandom(100 + s);
    const base = Array.from({ length: FRAMES }, () => Float32Array.from({ length: DIM }, () => moments.normal()));
    views.forEach((view, v) => {
      const noise = new SeededRandom(1000 * (s + 1) + v);
      const records = environments.get(view) ?? new LmdbRecords();
      environments.set(view, records);
      for (let t = 0; t < FRAMES; t++) {
        const values = base[t]!.map((x) => x + 0.3 * noise.normal());
        records.put(lmdbFrameKey(lmdbKeyPrefix(sequence, view), t + LMDB_FIRST_KEY_FRAME), new Uint8Array(values.buffer));
      }
    });
  });
  writeReferenceLmdbs([...environments].map(([view, records]) => ({ folder: join(features, view), records })));
  // As shipped: the environments without the writer's lock files.
  for (const view of environments.keys()) rmSync(join(features, view, 'lock.mdb'));
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'evgap-assembly101-cli-'));
  root = join(dir, 'assembly101');
  data = join(dir, 'data');
  writeAnnotations(join(root, 'annotations'), Object.keys(VIEWS), PART_FRAMES);
  writeFeatures(join(root, 'TSM_features'));
  datasetFiles = listing(root);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('evgap on an Assembly101 folder with python-lmdb-written features', () => {
  it('imports its scenes, views and segments and lists the missing views', () => {
    const result = runEvgap(['import', 'assembly101', root, '--name', 'a101', '--data', data]);
    expect(result.stderr).toContain('Importing assembly101: 100% (15/15)');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Imported "a101"');
    expect(result.stdout).toContain('2 scenes, 21 views (7 ego, 14 exo), 21 tracks, 2,520 frames, 8 segments');
    for (const view of ['e4', 'v7', 'v8']) {
      expect(result.stdout).toContain(`missingView ${TEST_SEQUENCE} / ${view}: no features for view ${view}`);
    }
    const info = runEvgap(['info', 'a101', '--json', '--data', data]);
    expect(info.code).toBe(0);
    const scenes = (JSON.parse(info.stdout) as { scenes: { name: string; split: string; egoCount: number; exoCount: number; segmentCount: number }[] }).scenes;
    expect(scenes.map((s) => [s.name, s.split, s.egoCount, s.exoCount, s.segmentCount]).sort()).toEqual(
      [
        [TEST_SEQUENCE, 'test', 3, 6, 4],
        [TRAIN_SEQUENCE, 'train', 4, 8, 4],
      ].sort(),
    );
  });

  it('runs cross-view retrieval on the raw features of every scene, well above chance', () => {
    const result = runEvgap(['retrieval', '--dataset', 'a101', '--split', 'all', '--stride', '10', '--window', '10', '--json', '--data', data]);
    expect(result.code, result.stderr).toBe(0);
    const mean = (JSON.parse(result.stdout) as { mean: Record<'egoToExo' | 'exoToEgo', { recallAt: Record<string, number>; chanceRecallAt: Record<string, number>; scenes: number }> })
      .mean;
    for (const direction of [mean.egoToExo, mean.exoToEgo]) {
      expect(direction.scenes).toBe(2);
      expect(direction.chanceRecallAt['1']).toBeLessThan(10);
      expect(direction.recallAt['1']).toBe(100);
    }
  });

  it('writes nothing into the dataset folder', () => {
    expect(listing(root)).toEqual(datasetFiles);
  });
});

describe('evgap import assembly101 with a damaged data.mdb', () => {
  const damage: [string, (valid: Buffer) => Uint8Array, RegExp][] = [
    ['empty', () => new Uint8Array(0), /data\.mdb: empty file \(0 bytes\)/],
    ['random bytes', (valid) => valid.map((_, i) => (i * 2654435761) >>> 24), /data\.mdb: meta page 0 \(byte 0\): expected .*meta page 1 \(byte \d+\): expected /],
    ['cut short', (valid) => valid.subarray(0, Math.floor(valid.length * 0.5)), /data\.mdb: .*runs past the end of the file/],
  ];

  it.each(damage)('refuses a data.mdb that is %s with exit 1, naming the file, and imports nothing', (kind, make, message) => {
    const broken = join(dir, `broken-${kind.replaceAll(' ', '-')}`);
    writeAnnotations(join(broken, 'annotations'), [TRAIN_SEQUENCE]);
    writeLmdbFeatures(join(broken, 'TSM_features'), tracksFor(TRAIN_SEQUENCE, ['C10095_rgb', 'C10115_rgb'], 100, 2048));
    const file = join(broken, 'TSM_features', 'C10115_rgb', 'data.mdb');
    writeFileSync(file, make(readFileSync(file)));
    const brokenData = join(broken, 'data');
    const result = runEvgap(['import', 'assembly101', broken, '--name', 'broken', '--data', brokenData]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^evgap: /m);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(message);
    expect(JSON.parse(runEvgap(['datasets', '--json', '--data', brokenData]).stdout)).toEqual([]);
  });
});
