// Generating the demo dataset: byte-identical output for a seed, a manifest that agrees with the ground truth,
// progress for every step, and playable videos of the expected size, length and codec.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../contract/errors';
import { probeVideo } from '../../../native/ffmpeg';
import { generateDemo, type DemoProgress } from '../../../main/demo/generateDemo';
import type { DemoOptions } from '../../../main/demo/options';
import { readNpyHeader } from '../../../main/formats/npy';
import { parseFolderManifest } from '../../../main/importers/folder/manifest';
import { demoVocabulary } from '../../../main/demo/vocabulary';

const tiny: Partial<DemoOptions> = { seed: 11, featureDim: 64, scenes: 3, sceneSeconds: 20, videos: false };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-demo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file of a generated folder, relative path -> bytes. */
function filesOf(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(root.length + 1), readFileSync(path));
  }
  return files;
}

describe('generateDemo', () => {
  it('writes identical bytes for the same seed and different features for another seed', async () => {
    const progress: DemoProgress[] = [];
    const first = await generateDemo(join(dir, 'a'), tiny, (p) => progress.push(p));
    await generateDemo(join(dir, 'b'), tiny);
    await generateDemo(join(dir, 'c'), { ...tiny, seed: 12 });
    const [a, b, c] = ['a', 'b', 'c'].map((name) => filesOf(join(dir, name)));
    expect([...a!.keys()].sort()).toEqual(['ground-truth.json', 'manifest.json', ...['scene01', 'scene02', 'scene03'].flatMap((s) => ['e1', 'e2', 'e3', 'e4', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'].map((v) => `${s}/${v}.npy`))].sort());
    for (const [file, bytes] of a!) expect(bytes.equals(b!.get(file)!), file).toBe(true);
    for (const file of ['manifest.json', 'scene01/e1.npy', 'scene03/v8.npy']) expect(a!.get(file)!.equals(c!.get(file)!), file).toBe(false);
    expect(first.manifestPath).toBe(join(dir, 'a', 'manifest.json'));
    expect(first.options).toMatchObject({ ...tiny, egoViews: 4, exoViews: 8, featureDtype: 'float16' });
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 37)).toBe(true);
    expect(progress[0]!.what).toBe('scene01/e1 features');
    expect(progress.at(-1)!.what).toBe('manifest');
  });

  it('writes a manifest that agrees with the ground truth and the feature files', async () => {
    const out = join(dir, 'agree');
    const { manifestPath, groundTruthPath } = await generateDemo(out, { ...tiny, maxSyncOffsetFrames: 6 });
    const manifest = parseFolderManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const truth = JSON.parse(readFileSync(groundTruthPath, 'utf8'));
    expect(manifest.generator?.name).toBe('evgap-demo');
    expect(manifest.fps).toBe(15);
    expect(manifest.vocabulary).toHaveLength(demoVocabulary.length);
    expect(manifest.scenes.map((s) => s.split)).toEqual(['train', 'test', 'test']);
    manifest.scenes.forEach((scene, s) => {
      const sceneTruth = truth.scenes[s];
      expect(scene.name).toBe(sceneTruth.name);
      expect(scene.segments).toEqual(sceneTruth.segments);
      expect(scene.segments[0]!.startFrame).toBe(0);
      expect(scene.segments.at(-1)!.endFrame).toBe(300);
      for (const [v, view] of scene.views.entries()) {
        expect(view.syncOffsetFrames).toBe(sceneTruth.views[v].syncOffsetFrames);
        expect(Math.abs(view.syncOffsetFrames!)).toBeLessThanOrEqual(6);
        expect(typeof sceneTruth.views[v].paramsSeed).toBe('number');
        expect(view.features).toEqual({ file: `${scene.name}/${view.name}.npy`, layout: 'TF', dtype: 'float16' });
        expect(readNpyHeader(join(out, view.features!.file))).toMatchObject({ dtype: 'float16', shape: [300, 64] });
        expect(view.video).toBeUndefined();
      }
    });
  });

  it('refuses a folder that already holds files', async () => {
    const out = join(dir, 'occupied');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    await expect(generateDemo(out, tiny)).rejects.toThrow(ConflictError);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('renders one playable video per view with the expected frames, duration, size and codec', async () => {
    const out = join(dir, 'videos');
    const { manifestPath } = await generateDemo(out, { ...tiny, egoViews: 1, exoViews: 1, sceneSeconds: 4, maxSyncOffsetFrames: 3, videos: true });
    const manifest = parseFolderManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    for (const view of manifest.scenes[0]!.views) {
      expect(view.video).toEqual({ file: `scene01/${view.name}.webm`, fps: 15, durationS: 4, width: 160, height: 120, codec: 'vp9' });
      const probe = await probeVideo(join(out, view.video!.file));
      expect(probe).toMatchObject({ codec: 'vp9', width: 160, height: 120, frameCount: 60, fps: 15 });
      expect(probe.durationS).toBeCloseTo(4, 1);
    }
    expect(readdirSync(join(out, 'scene03')).sort()).toEqual(['e1.npy', 'e1.webm', 'v1.npy', 'v1.webm']);
  });
});
