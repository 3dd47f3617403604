// `evgap import egoexo4d` through the built CLI on a download as Ego-Exo4D ships it (takes.json, splits,
// features/omnivore_video/<take_uid>_<cam_id>_<stream_id>.pt written by torch.save): the takes, cameras and
// feature rate it imports, what `evgap info` shows of them, and the failures — a hostile .pt, a wrong
// --feature-kind — that exit non-zero naming the problem and import nothing.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pythonTorch } from '../../../fixtures/torch/torchFixtures';
import { needs } from '../../../preconditions';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';
import { assertBuilt, runEvgap } from '../../cli/processHarness';
import { TAKES, writeEgoExo4dDownload } from './egoExo4dFixture';

const tempDir = useTempDir();

needs(pythonTorch).describe('evgap import egoexo4d (built CLI)', () => {
  let shipped = '';
  let hostile = '';
  beforeAll(() => {
    assertBuilt();
    shipped = mkdtempSync(join(tmpdir(), 'evgap-egoexo4d-cli-'));
    hostile = join(shipped, 'hostile.pt');
    writeEgoExo4dDownload(shipped, ['omnivore_video', 'maws_clip_2b'], [{ path: hostile, kind: 'hostile' }]);
  });
  afterAll(() => rmSync(shipped, { recursive: true, force: true }));

  it('imports the takes and cameras with the omnivore_video feature rate, and `evgap info` shows them', () => {
    const data = tempDir();
    const imported = runEvgap(['import', 'egoexo4d', shipped, '--data', data]);
    expect(imported.stderr).toContain('Importing egoexo4d: 100%');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported "egoexo4d" (id 1, egoexo4d): 2 scenes, 7 views (2 ego, 5 exo), 7 tracks, 1,476 frames, 0 segments, 0 runs');
    expect(imported.stdout).toContain('validation: 1 missingView, 4 frameCountMismatch, 1 missingFeatures');
    expect(imported.stdout).toMatch(/missingView georgiatech_cooking_01_01_2 \/ cam03: no features for cam03: .*_cam03_0\.pt is missing/);

    const info = runEvgap(['info', 'egoexo4d', '--data', data]);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('georgiatech_cooking_01_01_2 (id 1): 1 ego + 2 exo, 10.0 s, 0 segments');
    expect(info.stdout).toContain('ego aria01, offset +0, features 300 frames × 8-d @ 30 fps, 1 feature per 16 frames over 32 (1.875/s, 18 features)');
    expect(info.stdout).toContain('exo cam03, offset +0, features 144 frames × 8-d @ 30 fps, 1 feature per 16 frames over 32 (1.875/s, 8 features)');
    const json = JSON.parse(runEvgap(['info', 'egoexo4d', '--json', '--data', data]).stdout);
    expect(json.scenes.map((s: { name: string; split: string }) => [s.name, s.split])).toEqual([
      ['georgiatech_cooking_01_01_2', 'train'],
      ['upenn_0711_Cooking_2_2', 'val'],
    ]);
    expect(json.scenes[0].views[0].track).toMatchObject({
      featurePath: `features/omnivore_video/${TAKES[0]!.uid}_aria01_rgb.pt`,
      featureFps: 30,
      featureStrideFrames: 16,
      featureWindowFrames: 32,
      frameCount: 300,
    });
  });

  it('imports maws_clip_2b per frame when asked for that kind', () => {
    const data = tempDir();
    const imported = runEvgap(['import', 'egoexo4d', shipped, '--feature-kind', 'maws_clip_2b', '--name', 'maws', '--data', data]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('validation: 1 missingView, 1 missingFeatures');
    const info = runEvgap(['info', 'maws', '--data', data]);
    expect(info.stdout).toContain('ego aria01, offset +0, features 300 frames × 8-d @ 30 fps');
    expect(info.stdout).not.toContain('1 feature per');
  });

  it('refuses a hostile .pt with exit 1, naming the file and the global, runs nothing and imports nothing', () => {
    const root = join(tempDir(), 'egoexo4d');
    cpSync(shipped, root, { recursive: true });
    cpSync(hostile, join(root, 'features', 'omnivore_video', `${TAKES[1]!.uid}_cam02_0.pt`));
    const data = tempDir();
    const result = runEvgap(['import', 'egoexo4d', root, '--data', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/_cam02_0\.pt \([^)]+\/data\.pkl\): pickle byte 2: GLOBAL \(0x63\): global posix\.system is not allowed/);
    expect(existsSync(`${hostile}.pwned`)).toBe(false);
    expect(runEvgap(['datasets', '--data', data]).stdout).not.toContain('egoexo4d');
  });

  it('refuses --feature-kind for another format or with an unknown kind (usage error, exit 2)', () => {
    const wrongFormat = runEvgap(['import', 'folder', shipped, '--feature-kind', 'omnivore_video', '--data', tempDir()]);
    expect(wrongFormat.code).toBe(2);
    expect(wrongFormat.stderr).toContain('--feature-kind applies to egoexo4d only, not folder');
    const unknown = runEvgap(['import', 'egoexo4d', shipped, '--feature-kind', 'slowfast', '--data', tempDir()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--feature-kind: expected omnivore_video or maws_clip_2b, got "slowfast"');
  });
});
