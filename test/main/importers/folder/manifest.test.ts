// Validation of the folder manifest format: every field checked, errors naming the file and the JSON path.
import { describe, expect, it } from 'vitest';
import { parseFolderManifest } from '../../../../main/importers/folder/manifest';

function valid() {
  return {
    format: 'evgap-folder',
    version: 1,
    fps: 30,
    vocabulary: [{ label: 'take cup', verb: 'take', object: 'cup' }, { label: 'idle' }],
    scenes: [
      {
        name: 'kitchen',
        split: 'train',
        views: [
          { name: 'head', role: 'ego', syncOffsetFrames: -2, features: { file: 'kitchen/head.npy', layout: 'TF', dtype: 'float32' } },
          { name: 'wall', role: 'exo', camera: 'cam-3', video: { file: 'kitchen/wall.mp4' } },
        ],
        segments: [{ startFrame: 0, endFrame: 10, label: 'take cup', verb: 'take', object: 'cup' }, { startFrame: 10, endFrame: 12, label: 'idle' }],
      },
    ],
  };
}

/** The message parseFolderManifest throws for `valid()` changed by `edit`. */
function problem(edit: (m: any) => void): string {
  const manifest: any = valid();
  edit(manifest);
  try {
    parseFolderManifest(manifest, 'data/manifest.json');
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('parseFolderManifest', () => {
  it('accepts a valid manifest, filling syncOffsetFrames with 0', () => {
    const manifest = parseFolderManifest(valid());
    expect(manifest.scenes[0]!.views[1]).toEqual({ name: 'wall', role: 'exo', camera: 'cam-3', syncOffsetFrames: 0, video: { file: 'kitchen/wall.mp4' } });
    expect(manifest.scenes[0]!.views[0]!.syncOffsetFrames).toBe(-2);
  });

  it('names the file and JSON path of each problem', () => {
    expect(problem((m) => (m.format = 'other'))).toBe('data/manifest.json: format: expected "evgap-folder", got "other"');
    expect(problem((m) => (m.version = 2))).toBe('data/manifest.json: version: expected 1, got 2');
    expect(problem((m) => delete m.fps)).toBe('data/manifest.json: fps: expected a number > 0, got nothing');
    expect(problem((m) => (m.scenes = []))).toBe('data/manifest.json: scenes: expected an array of at least 1, got "0 items"');
    expect(problem((m) => (m.scenes[0].split = 'dev'))).toBe('data/manifest.json: scenes[0].split: expected "train" or "val" or "test", got "dev"');
    expect(problem((m) => (m.scenes[0].views[1].name = 'head'))).toBe('data/manifest.json: scenes[0].views[1].name: expected a unique name, got "head"');
    expect(problem((m) => (m.scenes[0].views[0].syncOffsetFrames = 1.5))).toBe('data/manifest.json: scenes[0].views[0].syncOffsetFrames: expected an integer, got 1.5');
    expect(problem((m) => (m.scenes[0].views[0].features.layout = 'TxF'))).toBe('data/manifest.json: scenes[0].views[0].features.layout: expected "TF" or "FT", got "TxF"');
    expect(problem((m) => (m.scenes[0].views[0].features.dtype = 'float64'))).toBe('data/manifest.json: scenes[0].views[0].features.dtype: expected "float32" or "float16", got "float64"');
    expect(problem((m) => (m.scenes[0].views[1].video.width = 0))).toBe('data/manifest.json: scenes[0].views[1].video.width: expected an integer >= 1, got 0');
    expect(problem((m) => (m.scenes[0].views[1].video.file = 'C:/video.mp4'))).toMatch(/^data\/manifest\.json: scenes\[0\]\.views\[1\]\.video\.file: expected a relative path/);
    expect(problem((m) => (m.scenes[0].segments[1].endFrame = 10))).toBe('data/manifest.json: scenes[0].segments[1].endFrame: expected an integer >= 11, got 10');
    expect(problem((m) => (m.scenes[0].segments[0].label = 'drop cup'))).toBe('data/manifest.json: scenes[0].segments[0].label: expected a label listed in vocabulary, got "drop cup"');
    expect(problem((m) => (m.vocabulary[1].label = 'take cup'))).toBe('data/manifest.json: vocabulary[1].label: expected a unique name, got "take cup"');
    expect(problem((m) => (m.scenes[0].views = 'head'))).toBe('data/manifest.json: scenes[0].views: expected an array, got "head"');
  });
});
