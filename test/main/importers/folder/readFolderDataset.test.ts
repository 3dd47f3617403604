// Reading a folder dataset: a generated demo folder becomes the import spec it describes, and bad folders are
// refused with errors naming the manifest's path and the field at fault.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../../contract/errors';
import { generateDemo } from '../../../../main/demo/generateDemo';
import { planDemo, visibleSegments } from '../../../../main/demo/plan';
import { resolveDemoOptions } from '../../../../main/demo/options';
import { demoVocabulary } from '../../../../main/demo/vocabulary';
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
  it('reads a generated demo folder into the spec it describes, from headers only', async () => {
    const { spec } = await readFolderDataset(demo);
    const plan = planDemo(options);
    expect(spec).toMatchObject({ name: 'demo (seed 5)', root: demo, format: 'demo' });
    expect(spec.meta).toMatchObject({ manifestVersion: 1, fps: 15, generator: { name: 'evgap-demo', options: { seed: 5 } } });
    expect(spec.vocabularies![0]!.labels).toHaveLength(demoVocabulary.length);
    expect(spec.vocabularies![0]!.labels[0]).toEqual({ label: 'take chassis', verb: 'take', object: 'chassis' });
    expect(spec.scenes.map((s) => [s.name, s.split])).toEqual([['scene01', 'train'], ['scene02', 'test'], ['scene03', 'test']]);
    spec.scenes.forEach((scene, s) => {
      expect(scene.segments).toEqual(
        visibleSegments(plan[s]!).map(({ startFrame, endFrame, label, verb, object }, i) => ({
          startFrame,
          endFrame,
          label,
          verb,
          object,
          origin: { track: `scenes[${s}]`, where: `${join(demo, 'manifest.json')}: scenes[${s}].segments[${i}]` },
        })),
      );
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
    expect((await readFolderDataset(demo, { name: 'mine' })).spec.name).toBe('mine');
  });

  it('reads [dim, frames] files by the declared FT layout, and a folder not made by the demo as "folder"', async () => {
    const root = brokenCopy((manifest, at) => {
      delete manifest.generator;
      manifest.scenes[0].views[0].features = { file: 'scene01/e1-ft.npy', layout: 'FT', dtype: 'float32' };
      const writer = NpyWriter.create(join(at, 'scene01/e1-ft.npy'), { dtype: 'float32', rows: 64, cols: 290 });
      writer.writeRows(new Float32Array(64 * 290));
      writer.close();
    });
    const { spec } = await readFolderDataset(root);
    expect(spec.format).toBe('folder');
    expect(spec.scenes[0]!.views[0]!.track).toMatchObject({ featureDim: 64, frameCount: 290, featureLayout: 'FT', featureDtype: 'float32' });
  });

  it('refuses a missing feature file, naming the field and the file', async () => {
    const root = brokenCopy((manifest) => {
      manifest.scenes[1].views[2].features.file = 'scene02/nothing.npy';
    });
    await expect(readFolderDataset(root)).rejects.toThrow(NotFoundError);
    await expect(readFolderDataset(root)).rejects.toThrow(
      `${join(root, 'manifest.json')}: scenes[1].views[2].features.file: file "scene02/nothing.npy" does not exist under ${root}`,
    );
  });

  it('refuses a bad role', async () => {
    const root = brokenCopy((manifest) => {
      manifest.scenes[2].views[1].role = 'top';
    });
    await expect(readFolderDataset(root)).rejects.toThrow(new ArgumentError(`${join(root, 'manifest.json')}: scenes[2].views[1].role: expected "ego" or "exo", got "top"`));
  });

  it('refuses paths that leave the folder: "..", absolute, or a link pointing outside', async () => {
    for (const file of ['../demo/scene01/e1.npy', '/etc/passwd', 'scene01/../scene01/e1.npy']) {
      const root = brokenCopy((manifest) => {
        manifest.scenes[0].views[0].features.file = file;
      });
      await expect(readFolderDataset(root)).rejects.toThrow(/manifest\.json: scenes\[0\]\.views\[0\]\.features\.file: expected a relative path inside the dataset folder/);
    }
    const linked = brokenCopy((manifest, root) => {
      symlinkSync(join(demo, 'scene01', 'e1.npy'), join(root, 'outside.npy'));
      manifest.scenes[0].views[0].features.file = 'outside.npy';
    });
    await expect(readFolderDataset(linked)).rejects.toThrow(/scenes\[0\]\.views\[0\]\.features\.file: file "outside.npy" resolves outside/);
  });

  it('refuses a dtype that differs from the file, and a file that is not an .npy', async () => {
    const mismatch = brokenCopy((manifest) => {
      manifest.scenes[0].views[3].features.dtype = 'float32';
    });
    await expect(readFolderDataset(mismatch)).rejects.toThrow(
      new ArgumentError(`${join(mismatch, 'manifest.json')}: scenes[0].views[3].features.dtype: declared "float32", but scene01/e4.npy holds float16`),
    );
    const garbage = brokenCopy((_manifest, root) => writeFileSync(join(root, 'scene01/v1.npy'), 'not numpy'));
    await expect(readFolderDataset(garbage)).rejects.toThrow(/manifest\.json: scenes\[0\]\.views\[4\]\.features\.file: .*v1\.npy: not an \.npy file/);
  });

  it('refuses a folder without manifest.json, and one whose manifest is not JSON', async () => {
    await expect(readFolderDataset(join(demo, 'scene01'))).rejects.toThrow(NotFoundError);
    const root = brokenCopy(() => undefined);
    writeFileSync(join(root, 'manifest.json'), '{"format": ');
    await expect(readFolderDataset(root)).rejects.toThrow(`${join(root, 'manifest.json')}: not valid JSON`);
  });
});
