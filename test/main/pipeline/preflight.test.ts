// The checks before a run (main/pipeline/preflight.ts): annotation gaps and overlaps, missing views and tracks,
// feature dimensions, splits and groups, each problem naming its scene and frames, and the unlabeled-class fix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import type { DatasetImportSpec } from '../../../main/catalog/importSpec';
import { catalogFile } from '../../../main/paths';
import { formatProblem, pipelineProblems, pretrainProblems, refuseOnErrors } from '../../../main/pipeline/preflight';

type SceneSpec = DatasetImportSpec['scenes'][number];
type Segment = { startFrame: number; endFrame: number; label: string };

function view(name: string, role: 'ego' | 'exo', dim = 8, track = true): SceneSpec['views'][number] {
  return { name, role, syncOffsetFrames: 0, ...(track && { track: { featurePath: `f/${name}.npy`, featureDim: dim, featureFps: 15, frameCount: 100 } }) };
}

function scene(name: string, split: 'train' | 'test', segments: Segment[], views = [view('ego1', 'ego'), view('exo1', 'exo')]): SceneSpec {
  return { name, split, views, segments };
}

const full: Segment[] = [
  { startFrame: 0, endFrame: 50, label: 'take' },
  { startFrame: 50, endFrame: 100, label: 'pour' },
];

let dir: string;
let catalog: Catalog;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-preflight-'));
  catalog = Catalog.open(catalogFile(dir));
});
afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const add = (name: string, scenes: SceneSpec[], format = 'folder') => catalog.importDataset({ name, root: dir, format, scenes });
const errors = (problems: ReturnType<typeof pipelineProblems>) => problems.filter((p) => p.severity === 'error');

describe('pipelineProblems', () => {
  it('finds nothing in a clean dataset', () => {
    add('clean', [scene('a', 'train', full), scene('b', 'test', full)]);
    expect(pipelineProblems(catalog, { dataset: 'clean' })).toEqual([]);
  });

  it('lists every gap with its scene and frames, and offers the unlabeled class as the fix', () => {
    add('gappy', [
      scene('a', 'train', [{ startFrame: 0, endFrame: 60, label: 'take' }, { startFrame: 80, endFrame: 100, label: 'pour' }]),
      scene('b', 'test', [{ startFrame: 0, endFrame: 30, label: 'take' }, { startFrame: 31, endFrame: 100, label: 'pour' }]),
    ]);
    const problems = errors(pipelineProblems(catalog, { dataset: 'gappy' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ dataset: 'gappy', scene: 'a', fix: { text: "fill gaps with class 'unlabeled'", unlabeledClass: 'unlabeled' } });
    expect(problems[0]!.message).toContain('20 frames of the annotated range [0, 100) in no segment: frames 60–79');
    expect(problems[1]).toMatchObject({ scene: 'b' });
    expect(problems[1]!.message).toContain('frame 30');
    expect(() => refuseOnErrors(problems, 'the pipeline')).toThrow(/the pipeline cannot start: 2 problems[\s\S]*scene a: 20 frames[\s\S]*scene b: 1 frame /);
  });

  it('passes with the unlabeled-class fix: the gaps become a warning', () => {
    add('gappy', [scene('a', 'train', [{ startFrame: 0, endFrame: 60, label: 'take' }, { startFrame: 80, endFrame: 100, label: 'pour' }]), scene('b', 'test', full)]);
    const problems = pipelineProblems(catalog, { dataset: 'gappy', unlabeledClass: 'background' });
    expect(errors(problems)).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', scene: 'a', message: expect.stringContaining("frames 60–79: they take class 'background'") })]);
    expect(() => refuseOnErrors(problems, 'the pipeline')).not.toThrow();
  });

  it('warns of overlapping segments, naming them and their frames', () => {
    add('overlap', [scene('a', 'train', [{ startFrame: 0, endFrame: 60, label: 'take' }, { startFrame: 50, endFrame: 100, label: 'pour' }]), scene('b', 'test', full)]);
    const [overlap, ...rest] = pipelineProblems(catalog, { dataset: 'overlap' });
    expect(rest).toEqual([]);
    expect(overlap).toMatchObject({ severity: 'warning', scene: 'a' });
    expect(formatProblem(overlap!)).toContain("scene a: segments overlap (the later one labels the shared frames): 'take' [0, 60) and 'pour' [50, 100)");
  });

  it('only checks the annotated range every view covers', () => {
    const short = { ...view('exo1', 'exo'), track: { featurePath: 'f/x.npy', featureDim: 8, featureFps: 15, frameCount: 60 } };
    add('short', [scene('a', 'train', [{ startFrame: 0, endFrame: 50, label: 'take' }, { startFrame: 70, endFrame: 100, label: 'pour' }], [view('ego1', 'ego'), short]), scene('b', 'test', full)]);
    expect(errors(pipelineProblems(catalog, { dataset: 'short' }))[0]!.message).toContain('10 frames of the annotated range [0, 60) in no segment: frames 50–59');
  });

  it('names missing splits, missing views and views without tracks', () => {
    add('noTest', [scene('a', 'train', full, [view('ego1', 'ego'), view('exo1', 'exo', 8, false)]), scene('c', 'train', full)]);
    const problems = pipelineProblems(catalog, { dataset: 'noTest' });
    expect(errors(problems).map((p) => p.message)).toEqual(["the pipeline needs 'train' and 'test' scenes, it has no 'test' scene"]);
    const warnings = problems.filter((p) => p.severity === 'warning' && p.scene === 'a').map((p) => p.message);
    expect(warnings).toEqual([expect.stringContaining('view exo1 has no feature track'), expect.stringContaining('no exo view with a feature track')]);
  });

  it('refuses a dataset without exo views', () => {
    const egoOnly = [view('ego1', 'ego'), view('ego2', 'ego')];
    add('egoOnly', [scene('a', 'train', full, egoOnly), scene('b', 'test', full, egoOnly)]);
    const messages = errors(pipelineProblems(catalog, { dataset: 'egoOnly' })).map((p) => p.message);
    expect(messages).toContain('the pipeline needs exo views with feature tracks in its train and test scenes, it has none');
    expect(messages.some((m) => m.startsWith('step 2 needs groups'))).toBe(true);
  });

  it('refuses feature dimensions that differ between views, naming them', () => {
    add('dims', [scene('a', 'train', full, [view('ego1', 'ego', 8), view('exo1', 'exo', 16)]), scene('b', 'test', full)]);
    const [dims] = errors(pipelineProblems(catalog, { dataset: 'dims' }));
    expect(dims!.message).toBe('the evaluation needs features of one dimension, the views have 8-d: a/ego1, b/ego1, b/exo1; 16-d: a/exo1');
  });

  it('refuses step-1 datasets whose dimension differs from the evaluated one', () => {
    add('eight', [scene('a', 'train', full), scene('b', 'test', full)]);
    add('sixteen', [scene('c', 'train', full, [view('e', 'ego', 16), view('x', 'exo', 16)])]);
    const [dims] = errors(pipelineProblems(catalog, { dataset: 'eight', pretrainDatasets: ['eight', 'sixteen'] }));
    expect(dims!.message).toContain('step 1 and the evaluation needs features of one dimension');
    expect(dims!.message).toContain('16-d: sixteen/c/e, sixteen/c/x');
  });

  it('answers NotFound for an unknown dataset', () => {
    expect(() => pipelineProblems(catalog, { dataset: 'nope' })).toThrow(/no dataset named "nope"/);
  });
});

describe('pretrainProblems', () => {
  it('refuses step 2 on a dataset without groups and on a pair-only dataset', () => {
    add('egoOnly', [scene('a', 'train', full, [view('ego1', 'ego')])]);
    add('pairs', [scene('p', 'train', [])], 'charades-ego');
    expect(errors(pretrainProblems(catalog, { step: 2, dataset: 'egoOnly' })).map((p) => p.message)).toEqual([expect.stringMatching(/^step 2 needs groups/)]);
    expect(errors(pretrainProblems(catalog, { step: 2, dataset: 'pairs' }))[0]!.message).toContain("the dataset's scenes are pair-only (format 'charades-ego'");
    expect(errors(pretrainProblems(catalog, { step: 1, dataset: 'pairs' }))).toEqual([]);
  });

  it('refuses step 1 on mixed datasets of different dimensions; gaps do not matter to pre-training', () => {
    add('eight', [scene('a', 'train', [{ startFrame: 0, endFrame: 10, label: 'x' }, { startFrame: 90, endFrame: 100, label: 'y' }])]);
    add('sixteen', [scene('c', 'train', full, [view('e', 'ego', 16), view('x', 'exo', 16)])]);
    expect(pretrainProblems(catalog, { step: 1, dataset: 'eight' })).toEqual([]);
    const [dims] = errors(pretrainProblems(catalog, { step: 1, dataset: 'eight', extraDatasets: ['sixteen'] }));
    expect(dims).toMatchObject({ dataset: 'eight, sixteen', scene: null });
    expect(dims!.message).toMatch(/^step 1 on several datasets needs features of one dimension, the views have 8-d: eight\/a\/ego1/);
  });
});
