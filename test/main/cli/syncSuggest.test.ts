// `evgap sync suggest` in-process on the small demo dataset: the same estimate the API gives the Sync panel, per
// scene and view (JSON and text), a view set wrong shown with its move, and usage errors for what is missing or bad.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoFixture, type DemoFixture } from '../api/demoFixture';
import { serveApi, type ServedApi } from '../api/servedApi';
import { runCaptured } from './cliHarness';

let fixture: DemoFixture;
let api: ServedApi;
let dataset: string;

beforeAll(async () => {
  fixture = await createDemoFixture();
  api = serveApi(fixture.catalog, fixture.dataDir);
  dataset = String(fixture.datasetId);
});

afterAll(() => {
  api.client.close();
  fixture.cleanup();
});

const sync = (...args: string[]) => runCaptured(['sync', ...args, '--data', fixture.dataDir]);

interface SuggestJson {
  scenes: { scene: string; reference: string; views: { view: string; current: number; suggested: number; confidence: number }[] }[];
}

describe('evgap sync suggest', () => {
  it('prints the API’s estimate for every scene and view as JSON', async () => {
    const result = await sync('suggest', dataset, '--json', '--max-offset', '10');
    expect(result.stderr).not.toMatch(/evgap:/);
    expect(result.code).toBe(0);
    const { scenes } = JSON.parse(result.stdout) as SuggestJson;
    const details = fixture.catalog.getDataset(fixture.datasetId).scenes.map((s) => fixture.catalog.getScene(s.id));
    expect(scenes.map((s) => s.scene)).toEqual(details.map((d) => d.scene.name));
    for (const [i, scene] of scenes.entries()) {
      const estimate = await api.client.api.suggestSyncOffsets({ sceneId: details[i]!.scene.id, maxOffset: 10 });
      expect(scene.reference).toBe(estimate.reference.viewName);
      expect(scene.views).toEqual(
        estimate.suggestions.map((s) => ({ view: s.viewName, current: s.currentOffset, suggested: s.suggestedOffset, confidence: s.confidence })),
      );
      // The demo's catalog starts at the true offsets: every view in sync.
      for (const view of scene.views) expect(view.suggested).toBe(view.current);
    }
  });

  it('shows one scene as a table, a view set wrong with the move that puts it back', async () => {
    const detail = fixture.catalog.getScene(fixture.catalog.getDataset(fixture.datasetId).scenes[1]!.id);
    const view = detail.views.find((v) => v.name === 'v3')!;
    fixture.catalog.setSyncOffset(view.id, view.syncOffsetFrames + 5);
    try {
      const result = await sync('suggest', dataset, '--scene', detail.scene.name, '--max-offset', '10');
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^${detail.scene.name} \\(reference [ev]\\d\\)$`));
      expect(lines[1]).toMatch(/view\s+now\s+suggested\s+confidence/);
      expect(lines).toHaveLength(2 + detail.views.length);
      const signed = (n: number) => (n > 0 ? `\\+${n}` : String(n));
      expect(lines.find((line) => /^\s+v3\s/.test(line))).toMatch(
        new RegExp(`^\\s+v3\\s+${signed(view.syncOffsetFrames + 5)}\\s+${signed(view.syncOffsetFrames)}\\s+\\d+ %\\s+move -5$`),
      );
      expect(lines.filter((line) => / in sync$/.test(line))).toHaveLength(detail.views.length - 1);
    } finally {
      fixture.catalog.setSyncOffset(view.id, view.syncOffsetFrames);
    }
  });

  it.each([
    [['suggest'], /missing DATASET/],
    [[], /missing what to do \(suggest\)/],
    [['fix', '1'], /unknown sync action "fix"/],
    [['suggest', '1', '--max-offset', '0'], /--max-offset: expected an integer from 1 to 600, got "0"/],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const result = await sync(...(args as string[]));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('names the scenes it has when asked for one it does not (exit 1)', async () => {
    const result = await sync('suggest', dataset, '--scene', 'nope');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no scene named "nope" in dataset .*\(scenes: scene01, scene02, scene03\)/);
  });
});
