// Measures the catalog at Assembly101's size: 362 recordings × 12 views (4,344 tracks) with coarse segments for
// both parts of each recording. First the whole Assembly101 importer on a synthetic folder in the shipped layout
// (coarse_actions.csv, coarse_labels/, coarse_splits/, 16 per-view LMDB environments with a few frames per track,
// written by the reference LMDB library through python3-lmdb; the key scan of real 2048-d features is disk-bound and
// not measured here), then one importDataset of a spec with
// full-length tracks, then the library and scene queries the UI makes (listDatasets, getDataset, listScenes,
// getScene) over repeated calls. Targets: import under 60 s, each query under 50 ms (judged on the 95th
// percentile: single slow calls come from a busy machine). Run from a build: `npm run bench:catalog`
// (vite build --ssr bench/catalog.ts --outDir out/bench && node out/bench/catalog.js).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../main/catalog/Catalog';
import type { DatasetImportSpec, SceneImportSpec } from '../main/catalog/importSpec';
import { lmdbFrameKey, lmdbKeyPrefix } from '../main/features/lmdbTrack';
import { readAssembly101 } from '../main/importers/assembly101/readAssembly101';
import { LOGICAL_VIEWS, EGO_CAMERAS, EXO_CAMERAS } from '../main/importers/assembly101/views';
import { commitImport } from '../main/importers/common/importResult';
import { LmdbRecords, writeReferenceLmdbs } from '../test/fixtures/referenceLmdb';

const RECORDINGS = 362;
const SEGMENTS_PER_PART = 40;
const FRAMES = 18_000;
const QUERY_REPEATS = 50;
const IMPORT_TARGET_S = 60;
const QUERY_TARGET_MS = 50;
/** Frames per track in the synthetic LMDB environments, and their feature dimension. */
const LMDB_FRAMES = 10;
const LMDB_DIM = 8;

const labels = Array.from({ length: 202 }, (_, i) => ({ label: `${i % 2 ? 'detach' : 'attach'} part ${i}`, verb: i % 2 ? 'detach' : 'attach', object: `part ${i}` }));
const recordingName = (r: number) => `nusar-2021_action_both_${9000 + r}-a01_${9000 + r}_user_id_2021-02-01_${String(100000 + r)}`;
const diskView = (r: number, v: number) => {
  const view = LOGICAL_VIEWS[v]!;
  return view.role === 'ego' ? EGO_CAMERAS[view.name]![r % 2]! : EXO_CAMERAS[v - 4]!;
};
const pad9 = (n: number) => String(n).padStart(9, '0');

/** An Assembly101 folder as shipped, at full metadata size with tiny feature tracks. */
function writeSyntheticFolder(root: string): void {
  const annotations = join(root, 'annotations');
  mkdirSync(join(annotations, 'coarse_labels'), { recursive: true });
  mkdirSync(join(annotations, 'coarse_splits'), { recursive: true });
  writeFileSync(
    join(annotations, 'coarse_actions.csv'),
    'action_id,verb_id,noun_id,action_cls,verb_cls,noun_cls\n' + labels.map((l, i) => `${i},${i % 2},${i},${l.label},${l.verb},${l.object}`).join('\n') + '\n',
  );
  const splitLines: Record<string, string[]> = { train: [], test: [] };
  const segmentLength = FRAMES / 2 / SEGMENTS_PER_PART;
  for (let r = 0; r < RECORDINGS; r++) {
    const name = recordingName(r);
    for (const [p, part] of ['assembly', 'disassembly'].entries()) {
      const lines = Array.from({ length: SEGMENTS_PER_PART }, (_, s) => {
        const start = (p * SEGMENTS_PER_PART + s) * segmentLength;
        return `${pad9(start)} ${pad9(start + segmentLength)} ${labels[(r + s) % labels.length]!.label}`;
      });
      writeFileSync(join(annotations, 'coarse_labels', `${part}_${name}.txt`), lines.join('\n') + '\n');
      splitLines[r % 4 === 0 ? 'test' : 'train']!.push(`${part}_${name}.txt\t\t-`);
    }
  }
  for (const [split, lines] of Object.entries(splitLines)) writeFileSync(join(annotations, 'coarse_splits', `${split}_coarse_assembly.txt`), lines.join('\n') + '\n');
  const value = new Uint8Array(new Float32Array(LMDB_DIM).buffer);
  const environments = Array.from({ length: 16 }, (_, v) => {
    const camera = v < 8 ? EXO_CAMERAS[v]! : Object.values(EGO_CAMERAS)[(v - 8) % 4]![Math.floor((v - 8) / 4)]!;
    const records = new LmdbRecords();
    for (let r = 0; r < RECORDINGS; r++) {
      if (!LOGICAL_VIEWS.some((_, lv) => diskView(r, lv) === camera)) continue;
      for (let f = 1; f <= LMDB_FRAMES; f++) records.put(lmdbFrameKey(lmdbKeyPrefix(recordingName(r), camera), f), value);
    }
    return { folder: join(root, 'TSM_features', camera), records };
  });
  writeReferenceLmdbs(environments);
}

function syntheticSpec(root: string): DatasetImportSpec {
  const scenes: SceneImportSpec[] = Array.from({ length: RECORDINGS }, (_, r) => {
    const name = recordingName(r);
    const partLength = FRAMES / 2;
    const segmentLength = partLength / SEGMENTS_PER_PART;
    return {
      name,
      split: r % 4 === 0 ? 'test' : r % 4 === 1 ? 'val' : 'train',
      meta: { recording: name, coarseRanges: { assembly: [0, partLength], disassembly: [partLength, FRAMES] }, featureStorage: 'lmdb' },
      views: LOGICAL_VIEWS.map((view, v) => {
        const camera = diskView(r, v);
        return {
          name: view.name,
          role: view.role,
          cameraId: camera,
          syncOffsetFrames: 0,
          track: { featurePath: `TSM_features/${camera}`, featureDtype: 'float32' as const, featureDim: 2048, featureFps: 30, frameCount: FRAMES - (v % 3) },
        };
      }),
      segments: Array.from({ length: 2 * SEGMENTS_PER_PART }, (_, s) => ({
        startFrame: s * segmentLength,
        endFrame: (s + 1) * segmentLength,
        label: labels[(r + s) % labels.length]!.label,
      })),
    };
  });
  return { name: 'assembly101-synthetic', root, format: 'assembly101', meta: { featureStorage: 'lmdb' }, vocabularies: [{ name: 'actions', labels }], scenes };
}

/** Median, 95th percentile and worst milliseconds of `repeats` calls. */
function time(repeats: number, run: (i: number) => unknown): { median: number; p95: number; max: number } {
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run(i);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, p95: ms[Math.ceil(ms.length * 0.95) - 1]!, max: ms[ms.length - 1]! };
}

const verdict = (ok: boolean) => (ok ? 'ok' : 'SLOW');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'evgap-bench-catalog-'));
  try {
    const folder = join(dir, 'assembly101');
    const writeStart = performance.now();
    writeSyntheticFolder(folder);
    console.log(`synthetic Assembly101 folder written in ${((performance.now() - writeStart) / 1000).toFixed(1)} s`);
    const readerCatalog = Catalog.open(join(dir, 'reader.sqlite'));
    const readStart = performance.now();
    const result = await readAssembly101({ root: folder, annotations: join(folder, 'annotations'), featureDim: LMDB_DIM });
    const read = commitImport(readerCatalog, result);
    const readS = (performance.now() - readStart) / 1000;
    const summary = readerCatalog.getDataset(read).dataset;
    readerCatalog.close();
    console.log(
      `readAssembly101+commit ${readS.toFixed(2).padStart(6)} s   (${summary.sceneCount} scenes, ${summary.trackCount} tracks, ${summary.segmentCount} segments; target < ${IMPORT_TARGET_S} s) ${verdict(readS < IMPORT_TARGET_S)}`,
    );

    const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    const spec = syntheticSpec(dir);
    const tracks = spec.scenes.reduce((n, s) => n + s.views.length, 0);
    const segments = spec.scenes.reduce((n, s) => n + s.segments.length, 0);
    const importStart = performance.now();
    const datasetId = catalog.importDataset(spec);
    const importS = (performance.now() - importStart) / 1000;
    console.log(`full-length spec: ${RECORDINGS} recordings, ${tracks} tracks, ${segments} segments`);
    console.log(`importDataset          ${importS.toFixed(2).padStart(6)} s   (target < ${IMPORT_TARGET_S} s) ${verdict(importS < IMPORT_TARGET_S)}`);
    const sceneIds = catalog.listScenes(datasetId).map((s) => s.id);
    const queries: [string, (i: number) => unknown][] = [
      ['listDatasets', () => catalog.listDatasets()],
      ['getDataset', () => catalog.getDataset(datasetId)],
      ['listScenes', () => catalog.listScenes(datasetId)],
      ['listScenes search', () => catalog.listScenes(datasetId, '9123')],
      ['getScene', (i) => catalog.getScene(sceneIds[(i * 37) % sceneIds.length]!)],
    ];
    for (const [name, run] of queries) {
      run(0); // warm-up: statement preparation and page cache
      const { median, p95, max } = time(QUERY_REPEATS, run);
      const ms = (n: number) => n.toFixed(2).padStart(7);
      console.log(`${name.padEnd(17)} median ${ms(median)} ms   p95 ${ms(p95)} ms   max ${ms(max)} ms   (target < ${QUERY_TARGET_MS} ms) ${verdict(p95 < QUERY_TARGET_MS)}`);
    }
    catalog.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
