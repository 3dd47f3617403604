// The import checks on specs built here: each error refuses the import naming the file, scene, view or segment;
// each warning lands in the report; multi-label formats and separate label tracks may overlap; a clean dataset
// passes unchanged.
import { describe, expect, it } from 'vitest';
import type { DatasetImportSpec, SceneImportSpec, ViewImportSpec } from '../../../../main/catalog/importSpec';
import { checkDataset, type DatasetChecks } from '../../../../main/importers/common/datasetChecks';
import { ImportCheckError, type ImportProblem } from '../../../../main/importers/common/errors';

function view(name: string, frames: number, dim = 16, extra: Partial<ViewImportSpec> = {}, track: Partial<NonNullable<ViewImportSpec['track']>> = {}): ViewImportSpec {
  return {
    name,
    role: name.startsWith('e') ? 'ego' : 'exo',
    syncOffsetFrames: 0,
    track: { featurePath: `s/${name}.npy`, featureLayout: 'TF', featureDtype: 'float32', featureDim: dim, featureFps: 15, frameCount: frames, ...track },
    ...extra,
  };
}

function scene(views: ViewImportSpec[], segments: SceneImportSpec['segments'] = []): SceneImportSpec {
  return { name: 's', views, segments };
}

function result(scenes: SceneImportSpec[], checks?: DatasetChecks) {
  const spec: DatasetImportSpec = { name: 'd', root: '/data/d', format: 'folder', scenes };
  return { spec, report: { issues: [], counts: {} }, ...(checks && { checks }) };
}

function problems(scenes: SceneImportSpec[], checks?: DatasetChecks): ImportProblem[] {
  try {
    checkDataset(result(scenes, checks));
  } catch (error) {
    if (error instanceof ImportCheckError) return [...error.problems];
    throw error;
  }
  return [];
}

const segment = (startFrame: number, endFrame: number, label = 'a', track?: string) => ({
  startFrame,
  endFrame,
  label,
  ...(track && { origin: { track, where: `${track}:${startFrame}` } }),
});

describe('checkDataset errors', () => {
  it('refuses a view whose feature dimension differs from the others, naming its file', () => {
    expect(problems([scene([view('e1', 720), view('v1', 720), view('v2', 720, 32)])])).toEqual([
      {
        kind: 'featureDimMismatch',
        scene: 's',
        view: 'v2',
        message: '/data/d/s/v2.npy holds 32-d features, 2 other views 16-d: the encoder takes one input dimension',
      },
    ]);
  });

  it('points at a swapped layout when the file read the other way round would fit', () => {
    // A [720, 16] array declared FT: 720-d features over 16 frames.
    const [problem] = problems([scene([view('e1', 720), view('v1', 720), view('v2', 16, 720, {}, { featureLayout: 'FT' })])]);
    expect(problem!.message).toMatch(/v2\.npy holds 720-d features, 2 other views 16-d.*is its layout "TF" rather than "FT"\?$/);
  });

  it('refuses a declared layout that contradicts the video, and warns about a video of another length', () => {
    const video = { videoPath: 's/v.webm', videoDurationS: 48 };
    const swapped = problems([scene([view('e1', 16, 720, {}, { featureLayout: 'FT', ...video })])]);
    expect(swapped).toEqual([
      {
        kind: 'layoutSwapped',
        scene: 's',
        view: 'e1',
        message:
          '/data/d/s/e1.npy: declared layout "FT" reads 16 frames of 720-d features, but its video s/v.webm lasts 48.00 s = 720 frames at 15 fps; ' +
          'read as "TF" it would be 720 frames of 16-d: the layout looks swapped',
      },
    ]);
    const { report } = checkDataset(result([scene([view('e1', 600, 16, {}, video)])]));
    expect(report.issues).toEqual([
      { kind: 'videoLength', scene: 's', view: 'e1', message: '/data/d/s/e1.npy has 600 frames, but its video s/v.webm lasts 48.00 s = 720 frames at 15 fps' },
    ]);
    expect(checkDataset(result([scene([view('e1', 712, 16, {}, video)])])).report.issues).toEqual([]);
  });

  it('refuses empty tracks', () => {
    expect(problems([scene([view('e1', 0)])]).map((p) => [p.kind, p.message])).toEqual([
      ['emptyTrack', '/data/d/s/e1.npy holds 0 frames of 16-d features: expected at least one of each'],
    ]);
  });

  it('refuses a segment that ends after the scene, naming where it was read', () => {
    expect(problems([scene([view('e1', 700), view('v1', 720)], [segment(0, 100), segment(100, 99_999, 'b', 'labels.txt')])])).toEqual([
      {
        kind: 'segmentOutsideScene',
        scene: 's',
        message: 'labels.txt:100: segment [100, 99999) "b" ends after the scene\'s last frame (720 frames, its longest track)',
      },
    ]);
  });

  it('refuses overlapping segments in one label track, not across tracks or where the format is multi-label', () => {
    const views = [view('e1', 720)];
    expect(problems([scene(views, [segment(0, 50), segment(40, 60, 'b')])])).toEqual([
      {
        kind: 'segmentOverlap',
        scene: 's',
        message: 'segments[1]: segment [40, 60) "b" overlaps segments[0] [0, 50) "a" in one label track (expected one label per frame)',
      },
    ]);
    // A segment inside a long one overlaps it even after a shorter one in between.
    expect(problems([scene(views, [segment(0, 100), segment(10, 20, 'b'), segment(30, 40, 'c')])]).map((p) => p.message.slice(0, 12))).toEqual([
      'segments[1]:',
      'segments[2]:',
    ]);
    expect(problems([scene(views, [segment(0, 50, 'a', 'assembly.txt'), segment(40, 60, 'b', 'disassembly.txt')])])).toEqual([]);
    expect(problems([scene(views, [segment(0, 50), segment(40, 60, 'b')])], { overlappingSegments: true })).toEqual([]);
  });

  it('refuses a sync offset as large as the scene', () => {
    expect(problems([scene([view('e1', 720), view('v1', 720, 16, { syncOffsetFrames: 1_000_000_000 }), view('v2', 720, 16, { syncOffsetFrames: -719 })])])).toEqual([
      {
        kind: 'syncOffsetTooLarge',
        scene: 's',
        view: 'v1',
        message: 'sync offset 1000000000 frames is as large as the scene (720 frames) or larger: the view would share no frame with it',
      },
    ]);
  });

  it("lists every problem in one error, naming the dataset's source, and says nothing was imported", () => {
    const bad = [scene([view('e1', 720), view('v1', 720, 32, { syncOffsetFrames: 800 })], [segment(0, 800)])];
    const error = (() => {
      try {
        checkDataset(result(bad));
      } catch (caught) {
        return caught as ImportCheckError;
      }
      throw new Error('expected an ImportCheckError');
    })();
    expect(error.message.split('\n')[0]).toBe('/data/d: the import checks found 3 errors; nothing was imported');
    expect(error.problems.map((p) => p.kind)).toEqual(['featureDimMismatch', 'segmentOutsideScene', 'syncOffsetTooLarge']);
  });
});

describe('checkDataset warnings', () => {
  it('reports frame counts that disagree beyond the tolerance (default one second), not within it', () => {
    const counts = (frames: number[], checks?: DatasetChecks) =>
      checkDataset(result([scene(frames.map((n, i) => view(`v${i + 1}`, n)))], checks)).report.issues.map((i) => i.message);
    expect(counts([720, 705])).toEqual([]);
    expect(counts([720, 704])).toEqual(['frame counts disagree by more than 15: v2 704, v1 720']);
    expect(counts([720, 710], { frameTolerance: 2 })).toEqual(['frame counts disagree by more than 2: v2 710, v1 720']);
    expect(counts([720, 100], { frameTolerance: null })).toEqual([]);
  });

  it('keeps the earlier report and passes a clean dataset unchanged', () => {
    const clean = result([scene([view('e1', 720), view('v1', 718)], [segment(0, 10), segment(10, 720, 'b')])]);
    clean.report = { issues: [{ kind: 'missingView', scene: 's', view: 'v2', message: 'no features' }] as never, counts: { missingView: 1 } };
    const checked = checkDataset(clean);
    expect(checked.spec).toBe(clean.spec);
    expect(checked.report).toEqual(clean.report);
  });
});
