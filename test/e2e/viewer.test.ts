// End to end in Chromium against the real headless host: the catalog's demo dataset → a scene → its 12 videos
// (4 ego, 8 exo) load, are labelled, and play together; the page breaks no Content-Security-Policy rule; an empty
// catalog says how to make the demo. Writes test-output/screenshots/viewer.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, launchChromium, root, runCli, startHost, type RunningHost } from './studioProcesses';

interface VideoState {
  view: string | undefined;
  readyState: number;
  error: number | null;
  videoWidth: number;
  videoHeight: number;
  currentTime: number;
  paused: boolean;
}

let work: string;
let context: BrowserContext;
const hosts: RunningHost[] = [];

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'evgap-e2e-'));
  context = await launchChromium(join(work, 'profile'));
});

afterAll(async () => {
  await context?.close();
  await Promise.all(hosts.map((host) => host.stop()));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens the host's page, recording console errors (CSP violations among them) and uncaught page errors. */
async function openPage(url: string) {
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  return { page, consoleErrors, pageErrors };
}

const videoStates = (page: Page) =>
  page.$$eval('video', (videos) =>
    videos.map((v) => ({
      view: v.closest('[data-view]')?.getAttribute('data-view') ?? undefined,
      readyState: v.readyState,
      error: v.error?.code ?? null,
      videoWidth: v.videoWidth,
      videoHeight: v.videoHeight,
      currentTime: v.currentTime,
      paused: v.paused,
    })),
  ) as Promise<VideoState[]>;

describe('the viewer page on the headless host', () => {
  it('shows the demo scene’s 12 videos, labelled by role, playing together, within the CSP', async () => {
    const dataDir = join(work, 'demo-data');
    await runCli(['demo', '--data', dataDir, '--scenes', '3', '--dim', '32']);
    const host = await startHost(dataDir);
    hosts.push(host);
    const { page, consoleErrors, pageErrors } = await openPage(host.url);

    await page.click('[data-dataset="demo"]');
    const scenes = page.locator('[data-scene]');
    await expect.poll(() => scenes.count(), { timeout: 20_000 }).toBe(3);
    await scenes.first().click();

    await expect.poll(async () => (await videoStates(page)).length, { timeout: 20_000 }).toBe(12);
    await expect
      .poll(async () => (await videoStates(page)).every((v) => v.readyState >= 2 || v.error !== null), { timeout: 30_000 })
      .toBe(true);
    const loaded = await videoStates(page);
    expect(loaded.map((v) => v.view).sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    for (const video of loaded) {
      expect(video, `video ${video.view}`).toMatchObject({ error: null, videoWidth: 160, videoHeight: 120 });
      expect(video.readyState, `readyState of ${video.view}`).toBeGreaterThanOrEqual(2);
    }

    await expect.poll(() => page.locator('[data-group="ego"] h3').innerText()).toMatch(/Ego views\s*4/);
    await expect.poll(() => page.locator('[data-group="exo"] h3').innerText()).toMatch(/Exo views\s*8/);
    for (const [role, names] of [
      ['ego', ['e1', 'e2', 'e3', 'e4']],
      ['exo', ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']],
    ] as const) {
      const captions = await page.locator(`[data-group="${role}"] figcaption`).allInnerTexts();
      expect(captions).toHaveLength(names.length);
      captions.forEach((caption, i) => expect(caption).toMatch(new RegExp(`^${names[i]}\\s+${role}\\s+\\S`, 'i')));
    }

    const before = await videoStates(page);
    await page.click('[data-action="play-pause"]');
    const advanced = async () =>
      (await videoStates(page)).map((v, i) => (!v.paused && v.currentTime > before[i]!.currentTime + 0.2 ? 'playing' : v.view));
    await expect.poll(advanced, { timeout: 20_000 }).toEqual(Array(12).fill('playing'));
    expect(await page.locator('[data-action="play-pause"]').innerText()).toBe('Pause all');

    mkdirSync(join(root, 'test-output', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-output', 'screenshots', 'viewer.png') });

    await page.click('[data-action="play-pause"]');
    await expect.poll(async () => (await videoStates(page)).every((v) => v.paused)).toBe(true);
    await page.click('[data-action="restart"]');
    await expect.poll(async () => (await videoStates(page)).every((v) => v.paused && v.currentTime < 1)).toBe(true);

    expect(consoleErrors.filter((text) => /Content.Security.Policy/i.test(text))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });

  it('says how to create the demo dataset when the catalog is empty', async () => {
    const host = await startHost(join(work, 'empty-data'));
    hosts.push(host);
    const { page, pageErrors } = await openPage(host.url);
    await expect.poll(() => page.locator('.empty').innerText().catch(() => ''), { timeout: 20_000 }).toMatch(/No datasets yet/);
    expect(await page.locator('.empty').innerText()).toMatch(/evgap demo/);
    mkdirSync(join(root, 'test-output', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-output', 'screenshots', 'empty-catalog.png') });
    expect(pageErrors).toEqual([]);
  });
});
