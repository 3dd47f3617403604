// Exports: Assembly101 coarse label files (round trip through the importer's reader), MS-TCN per-frame ground
// truth with its mapping, per-view embedding .npy files streamed in chunks (and cancelled cleanly), run results.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import type { DatasetImportSpec } from '../../../main/catalog/importSpec';
import { exportCoarseLabels, exportMsTcn, perFrameLabels } from '../../../main/export/annotationExport';
import { exportEmbeddings } from '../../../main/export/embeddingExport';
import { collectRunResults, runResultsCsv, runResultsJson } from '../../../main/export/runResultsExport';
import { readNpyHeader, readNpyRows } from '../../../main/formats/npy';
import { readCoarseLabelFile } from '../../../main/importers/assembly101/annotations';
import { ImportCancelledError } from '../../../main/importers/common/errors';
import { useTempDir } from '../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();

function spec(root: string): DatasetImportSpec {
  const track = (frames: number) => ({ featurePath: 'f.npy', featureLayout: 'TF' as const, featureDim: 4, featureFps: 30, frameCount: frames });
  return {
    name: 'ds',
    root,
    format: 'assembly101',
    vocabularies: [{ name: 'actions', labels: [{ label: 'attach cabin' }, { label: 'detach cabin' }, { label: 'attach wheel' }] }],
    scenes: [
      {
        name: 'rec1',
        meta: { coarseRanges: { assembly: [5, 25], disassembly: [30, 50] } },
        views: [
          { name: 'e1', role: 'ego', syncOffsetFrames: 0, track: track(60) },
          { name: 'v1', role: 'exo', syncOffsetFrames: 0, track: track(58) },
        ],
        segments: [
          { startFrame: 5, endFrame: 15, label: 'attach cabin' },
          { startFrame: 15, endFrame: 25, label: 'attach wheel' },
          { startFrame: 30, endFrame: 50, label: 'detach cabin' },
        ],
      },
      {
        name: 'plain',
        views: [{ name: 'ego', role: 'ego', syncOffsetFrames: 0, track: track(6) }],
        segments: [{ startFrame: 2, endFrame: 4, label: 'attach wheel' }],
      },
    ],
  };
}

function withDataset<T>(use: (catalog: Catalog, datasetId: number) => T | Promise<T>): Promise<T> {
  const dir = tempDir();
  const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
  const datasetId = catalog.importDataset(spec(dir));
  return Promise.resolve(use(catalog, datasetId)).finally(() => catalog.close());
}

describe('exportCoarseLabels', () => {
  it('writes each coarse part of a recording as its own file that the importer reads back unchanged', () =>
    withDataset((catalog, datasetId) => {
      const out = tempDir();
      exportCoarseLabels(catalog, datasetId, out);
      expect(readdirSync(out).sort()).toEqual(['assembly_rec1.txt', 'disassembly_rec1.txt', 'plain.txt']);
      expect(readFileSync(join(out, 'assembly_rec1.txt'), 'utf8')).toBe('000000005 000000015 attach cabin\n000000015 000000025 attach wheel\n');
      expect(readCoarseLabelFile(join(out, 'disassembly_rec1.txt'))).toMatchObject([
        { startFrame: 30, endFrame: 50, label: 'detach cabin', verb: null, object: null },
      ]);
    }));
});

describe('exportMsTcn', () => {
  it('writes one label per frame over each video and a mapping in vocabulary order plus background', () =>
    withDataset((catalog, datasetId) => {
      const out = tempDir();
      exportMsTcn(catalog, datasetId, out);
      expect(readFileSync(join(out, 'mapping.txt'), 'utf8')).toBe('0 attach cabin\n1 detach cabin\n2 attach wheel\n3 background\n');
      const assembly = readFileSync(join(out, 'groundTruth', 'assembly_rec1.txt'), 'utf8').trimEnd().split('\n');
      expect(assembly).toEqual([...Array(10).fill('attach cabin'), ...Array(10).fill('attach wheel')]);
      const plain = readFileSync(join(out, 'groundTruth', 'plain.txt'), 'utf8').trimEnd().split('\n');
      expect(plain).toEqual(['background', 'background', 'attach wheel', 'attach wheel', 'background', 'background']);
    }));

  it('labels uncovered frames with the background label given', () => {
    expect(perFrameLabels({ start: 0, end: 3, segments: [] }, 'SIL')).toEqual(['SIL', 'SIL', 'SIL']);
  });
});

describe('exportEmbeddings', () => {
  it('streams each view through the embed function in chunks into <scene>/<view>.npy', () =>
    withDataset(async (catalog, datasetId) => {
      const out = tempDir();
      const calls: string[] = [];
      const files = await exportEmbeddings(
        catalog,
        datasetId,
        out,
        (track, start, end) => {
          calls.push(`${track.view}:${start}-${end}`);
          return Float32Array.from({ length: (end - start) * 3 }, (_, i) => start + Math.floor(i / 3) + (i % 3) / 10);
        },
        { chunkFrames: 25 },
      );
      expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(['plain/ego.npy', 'rec1/e1.npy', 'rec1/v1.npy']);
      expect(calls.filter((c) => c.startsWith('v1'))).toEqual(['v1:0-25', 'v1:25-50', 'v1:50-58']);
      expect(readNpyHeader(join(out, 'rec1', 'v1.npy')).shape).toEqual([58, 3]);
      expect(Array.from(readNpyRows(join(out, 'rec1', 'v1.npy'), 57, 58))).toEqual([57, 57.1, 57.2].map(Math.fround));
    }));

  it('stops when cancelled, keeping the finished views and leaving no partial file', () =>
    withDataset(async (catalog, datasetId) => {
      const out = tempDir();
      const controller = new AbortController();
      const run = exportEmbeddings(
        catalog,
        datasetId,
        out,
        (_track, start, end) => {
          if (start > 0) controller.abort();
          return new Float32Array((end - start) * 2);
        },
        { chunkFrames: 10, signal: controller.signal },
      );
      await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
      const left = readdirSync(out, { recursive: true }).map(String);
      // plain/ego (6 frames) finished in one chunk; rec1/e1 was cancelled at its second chunk.
      expect(left.filter((name) => name.endsWith('.npy') || name.includes('partial'))).toEqual(['plain/ego.npy']);
    }));
});

describe('run results', () => {
  it('exports runs with metric series and evaluation results as JSON and long-format CSV', () =>
    withDataset((catalog, datasetId) => {
      const runId = catalog.createRun({ datasetId, kind: 'pretrain', config: { lr: 5e-4 }, seed: 3, backend: 'wasm' });
      catalog.updateRunLabels(runId, { name: 'lr 5e-4, fp32', addTags: ['sweep', 'baseline'] });
      catalog.addRunMetrics(runId, [
        { step: 0, name: 'loss', value: 2.5 },
        { step: 1, name: 'loss', value: NaN },
      ]);
      catalog.addEvaluationResult({ runId, task: 'retrieval', view: 'e1→v1', variant: 'EVGAP', metric: 'R@1', value: 0.42, seed: 4 });
      const results = collectRunResults(catalog, { datasetId });
      const json = JSON.parse(runResultsJson(results));
      expect(json[0]).toMatchObject({ id: runId, kind: 'pretrain', name: 'lr 5e-4, fp32', tags: ['baseline', 'sweep'], config: { lr: 5e-4 }, metrics: [{ step: 0, value: 2.5 }, { step: 1, value: null }] });
      expect(json[0].evaluation[0]).toMatchObject({ task: 'retrieval', view: 'e1→v1', metric: 'R@1', value: 0.42, seed: 4 });
      expect(runResultsCsv(results).trimEnd().split('\n')).toEqual([
        'run_id,kind,status,dataset_id,backend,seed,source,task,view,variant,name,step,value,result_seed,run_name,run_tags,parent_run_id,quick',
        `${runId},pretrain,queued,${datasetId},wasm,3,metric,,,,loss,0,2.5,,"lr 5e-4, fp32",baseline sweep,,false`,
        `${runId},pretrain,queued,${datasetId},wasm,3,metric,,,,loss,1,NaN,,"lr 5e-4, fp32",baseline sweep,,false`,
        `${runId},pretrain,queued,${datasetId},wasm,3,evaluation,retrieval,e1→v1,EVGAP,R@1,,0.42,4,"lr 5e-4, fp32",baseline sweep,,false`,
      ]);
      expect(existsSync(catalog.file)).toBe(true);
    }));
});
