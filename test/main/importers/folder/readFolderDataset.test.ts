// Reading a folder dataset: a generated demo folder becomes the import spec it describes, and bad folders are
// refused with errors naming manifest.json and the field at fault.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../../contract/errors';
import { generateDemo } from '../../../../main/demo/generateDemo';
import { planDemo, visibleSegments } from '../../../../main/demo/plan';
import { resolveDemoOptions } from '../../../../main/demo/options';
import { NpyWriter } from '../../../../main/formats/npy';
import { readFolderDataset } from '../../../../main/importers/folder/readFolderDataset';

const options = resolveDemoOptions({ seed: 5, featureDim: 64, scenes: 3, sceneSeconds: 20, videos: false });
let dir: string;
let demo: string;
let copies = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-folder-'));
  demo = join(dir, 'demo');
  await generateDemo(demo, options);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the demo folder with its manifest changed by `edit`. */
function brokenCopy(edit: (manifest: any, root: string) => void): string {
  const root = join(dir, `copy${++copies}`);
  cpSync(demo, root, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  edit(manifest, root);
  writeFileSync(join(root, 'manifest.json'), JSON.stringify(manifest));
  return root;
}

describe('readFolderDataset', () => {
  it('reads a generated demo folder into the spec it describes, from headers only', () => {
    const spec = readFolderDataset(demo);
    const plan = planDemo(options);
    expect(spec).toMatchObject({ name: 'demo (seed 5)', root: demo, format: 'demo' });
    expect(spec.meta).toMatchObject({ manifestVersion: 1, fps: 15, generator: { name: 'evgap-demo', options: { seed: 5 } } });
    expect(spec.vocabularies![0]!.labels).toHaveLength(30);
    expect(spec.vocabularies![0]!.labels[0]).toEqual({ label: 'take wheel', verb: 'take', object: 'wheel' });
    expect(spec.scenes.map((s) => [s.name, s.split])).toEqual([['scene01', 'train'], ['scene02', 'test'], ['scene03', 'test']]);
    spec.scenes.forEach((scene, s) => {
      expect(scene.segments).toEqual(visibleSegments(plan[s]!).map(({ startFrame, endFrame, label, verb, object }) => ({ startFrame, endFrame, label, verb, object })));
      scene.views.forEach((view, v) => {
        const planned = plan[s]!.views[v]!;
        expect(view).toEqual({
          name: planned.name,
          role: planned.role,
          cameraId: planned.camera,
          syncOffsetFrames: planned.syncOffsetFrames,
          track: {
            featurePath: `${scene.name}/${planned.name}.npy`,
            featureLayout: 'TF',
            featureDtype: 'float16',
            featureDim: 64,
            featureFps: 15,
            frameCount: 300,
          },
        });
      });
    });
    expect(readFolderDataset(demo, { name: 'mine' }).name).toBe('mine');
  });

  it('reads [dim, frames] files by the declared FT layout, and a folder not made by the demo as "folder"', () => {
    const root = brokenCopy((manifest, at) => {
      delete manifest.generator;
      manifest.scenes[0].views[0].features = { file: 'scene01/e1-ft.npy', layout: 'FT', dtype: 'float32' };
      const writer = NpyWriter.create(join(at, 'scene01/e1-ft.npy'), { dtype: 'float32', rows: 64, cols: 290 });
      writer.writeRows(new Float32Array(64 * 290));
      writer.close();
    });
    const spec = readFolderDataset(root);
    expect(spec.format).toBe('folder');
    expect(spec.scenes[0]!.views[0]!.track).toMatchObject({ featureDim: 64, frameCount: 290, featureLayout: 'FT', featureDtype: 'float32' });
  });

  it('refuses a missing feature file, naming the field and the file', () => {
    const root = brokenCopy((manifest) => {
      manifest.scenes[1].views[2].features.file = 'scene02/nothing.npy';
    });
    expect(() => readFolderDataset(root)).toThrow(NotFoundError);
    expect(() => readFolderDataset(root)).toThrow(`manifest.json: scenes[1].views[2].features.file: file "scene02/nothing.npy" does not exist under ${root}`);
  });

  it('refuses a bad role', () => {
    const root = brokenCopy((manifest) => {
      manifest.scenes[2].views[1].role = 'top';
    });
    expect(() => readFolderDataset(root)).toThrow(new ArgumentError('manifest.json: scenes[2].views[1].role: expected "ego" or "exo", got "top"'));
  });

  it('refuses paths that leave the folder: "..", absolute, or a link pointing outside', () => {
    for (const file of ['../demo/scene01/e1.npy', '/etc/passwd', 'scene01/../scene01/e1.npy']) {
      const root = brokenCopy((manifest) => {
        manifest.scenes[0].views[0].features.file = file;
      });
      expect(() => readFolderDataset(root)).toThrow(/^manifest\.json: scenes\[0\]\.views\[0\]\.features\.file: expected a relative path inside the dataset folder/);
    }
    const linked = brokenCopy((manifest, root) => {
      symlinkSync(join(demo, 'scene01', 'e1.npy'), join(root, 'outside.npy'));
      manifest.scenes[0].views[0].features.file = 'outside.npy';
    });
    expect(() => readFolderDataset(linked)).toThrow(/scenes\[0\]\.views\[0\]\.features\.file: file "outside.npy" resolves outside/);
  });

  it('refuses a dtype that differs from the file, and a file that is not an .npy', () => {
    const mismatch = brokenCopy((manifest) => {
      manifest.scenes[0].views[3].features.dtype = 'float32';
    });
    expect(() => readFolderDataset(mismatch)).toThrow(
      new ArgumentError('manifest.json: scenes[0].views[3].features.dtype: declared "float32", but scene01/e4.npy holds float16'),
    );
    const garbage = brokenCopy((_manifest, root) => writeFileSync(join(root, 'scene01/v1.npy'), 'not numpy'));
    expect(() => readFolderDataset(garbage)).toThrow(/^manifest\.json: scenes\[0\]\.views\[4\]\.features\.file: .*v1\.npy: not an \.npy file/);
  });

  it('refuses a folder without manifest.json, and one whose manifest is not JSON', () => {
    expect(() => readFolderDataset(join(demo, 'scene01'))).toThrow(NotFoundError);
    const root = brokenCopy(() => undefined);
    writeFileSync(join(root, 'manifest.json'), '{"format": ');
    expect(() => readFolderDataset(root)).toThrow(/^manifest\.json: not valid JSON/);
  });
});
