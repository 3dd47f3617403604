// The Scene tab's viewer end to end in Chromium against the real headless host: the demo scene's 12 videos (4 ego,
// 8 exo) load, labelled by role, within the Content-Security-Policy; play/pause, a seek on the timeline, ±1 frame,
// the speed, enlarging one view (click, keys, Esc), nudging and typing sync offsets that apply at once and survive
// a reload, and the shortcut help; an empty catalog says how to make the demo. Writes test-output/screenshots/
// viewer.png, viewer-enlarged.png, shortcut-help.png and empty-catalog.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { clockFrame, openScene, openStudioPage, screenshotFile, startHost, useStudio, videoStates, type RunningHost } from './studioProcesses';

const studio = useStudio('viewer');
/** Hosts a test starts on other data folders (the empty catalog's), stopped after the file's tests. */
const otherHosts: RunningHost[] = [];
afterAll(() => Promise.all(otherHosts.map((host) => host.stop())));

const fps = 15;

/** The scene frame each view shows by its currentTime (whole frames, offset removed). */
async function shownFrames(page: Page): Promise<number[]> {
  return (await videoStates(page)).map((v) => Math.floor(v.currentTime * fps + 1e-6) - v.offset);
}

const settled = async (page: Page) => (await videoStates(page)).every((v) => v.paused && !v.seeking);

describe('the viewer on the headless host', () => {
  it('plays, seeks, steps, changes speed, enlarges and nudges offsets of the demo scene’s 12 videos', async () => {
    const { page, consoleErrors, pageErrors } = await openStudioPage(studio.context, studio.url);
    await openScene(page, 'scene01', 12);

    const loaded = await videoStates(page);
    expect(loaded.map((v) => v.view)).toEqual(['e1', 'e2', 'e3', 'e4', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    for (const video of loaded) expect(video, `video ${video.view}`).toMatchObject({ error: null, videoWidth: 160, videoHeight: 120 });
    expect(await page.locator('[data-group="ego"] h3').innerText()).toMatch(/Ego views\s*4/);
    expect(await page.locator('[data-group="exo"] h3').innerText()).toMatch(/Exo views\s*8/);
    for (const [role, names] of [
      ['ego', ['e1', 'e2', 'e3', 'e4']],
      ['exo', ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']],
    ] as const) {
      const captions = await page.locator(`[data-group="${role}"] figcaption`).allInnerTexts();
      captions.forEach((caption, i) => expect(caption).toMatch(new RegExp(`^${names[i]}\\s+${role}\\b`, 'i')));
    }
    // At scene frame 0 a view with a negative offset has not started: it waits on its first frame.
    expect(await shownFrames(page)).toEqual(loaded.map((v) => Math.max(0, -v.offset)));

    // Play: every video advances; pause: all stop on one whole frame.
    await page.click('[data-action="play-pause"]');
    await expect.poll(async () => (await videoStates(page)).every((v) => !v.paused && v.currentTime * fps - v.offset > 20), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('[data-action="play-pause"]').innerText()).toBe('Pause');
    await page.screenshot({ path: screenshotFile('viewer') });
    await page.click('[data-action="play-pause"]');
    await expect.poll(() => settled(page)).toBe(true);
    const pausedAt = await clockFrame(page);
    expect(await shownFrames(page)).toEqual(Array(12).fill(pausedAt));

    // Seek: a click at the middle of the ruler puts every view at the middle of the scene.
    const ruler = (await page.locator('[data-ruler]').boundingBox())!;
    await page.mouse.click(ruler.x + ruler.width / 2, ruler.y + ruler.height / 2);
    const middle = await clockFrame(page);
    expect(Math.abs(middle - 360)).toBeLessThanOrEqual(2);
    await expect.poll(() => settled(page)).toBe(true);
    expect(await shownFrames(page)).toEqual(Array(12).fill(middle));

    // ±1 frame, by button and by key.
    await page.click('[data-action="step-forward"]');
    await expect.poll(() => clockFrame(page)).toBe(middle + 1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => clockFrame(page)).toBe(middle + 2);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => clockFrame(page)).toBe(middle - 1);
    await page.click('[data-action="step-back"]');
    await expect.poll(() => clockFrame(page)).toBe(middle - 2);
    await expect.poll(() => settled(page)).toBe(true);
    expect(await shownFrames(page)).toEqual(Array(12).fill(middle - 2));

    // Speed: the select and [ ] change the clock's rate; playing videos follow it within the ±10 % correction.
    await page.selectOption('[data-control="speed"]', '2');
    await page.keyboard.press('Space');
    const rates = () => page.$$eval('video', (videos) => videos.map((v) => v.playbackRate));
    await expect.poll(async () => (await rates()).every((r) => r >= 1.8 && r <= 2.2)).toBe(true);
    await page.keyboard.press('[');
    expect(await page.locator('[data-control="speed"]').inputValue()).toBe('1.5');
    await expect.poll(async () => (await rates()).every((r) => r >= 1.35 && r <= 1.65)).toBe(true);
    await page.keyboard.press('Space');
    await page.keyboard.press(']');
    expect(await page.locator('[data-control="speed"]').inputValue()).toBe('2');
    await page.selectOption('[data-control="speed"]', '1');
    await expect.poll(() => settled(page)).toBe(true);

    // Enlarge: a click on e3's video, keys 5 (v1) and Esc; the enlarged tile is the largest.
    const width = (view: string) => page.locator(`[data-view="${view}"]`).evaluate((tile) => tile.getBoundingClientRect().width);
    const gridWidth = await width('e3');
    await page.click('[data-view="e3"] video');
    await expect.poll(() => page.locator('.video-grid').getAttribute('data-enlarged')).toBe('e3');
    expect(await width('e3')).toBeGreaterThan(2 * gridWidth);
    expect(await width('v1')).toBeLessThan(gridWidth);
    await page.screenshot({ path: screenshotFile('viewer-enlarged') });
    await page.keyboard.press('5');
    await expect.poll(() => page.locator('.video-grid').getAttribute('data-enlarged')).toBe('v1');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.video-grid').getAttribute('data-enlarged')).toBe('');
    await page.dblclick('[data-view="v2"] video');
    await expect.poll(() => page.locator('.video-grid').getAttribute('data-enlarged')).toBe('v2');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.video-grid').getAttribute('data-enlarged')).toBe('');

    // Offsets: +1 on v2 and a typed value on v3 apply at once (the views show the same scene frame) and are saved.
    const offsetOf = async (view: string) => Number(await page.locator(`[data-view="${view}"]`).getAttribute('data-offset'));
    const v2Before = await offsetOf('v2');
    await page.click('[data-offset-control="v2"] [data-action="offset-up"]');
    await expect.poll(() => offsetOf('v2')).toBe(v2Before + 1);
    const typed = (await offsetOf('v3')) === 5 ? 4 : 5;
    await page.fill('[data-offset-control="v3"] input', String(typed));
    await page.keyboard.press('Enter');
    await expect.poll(() => offsetOf('v3')).toBe(typed);
    await expect.poll(() => settled(page)).toBe(true);
    const frameNow = await clockFrame(page);
    expect(await shownFrames(page)).toEqual(Array(12).fill(frameNow));

    await page.reload();
    await openScene(page, 'scene01', 12);
    expect(await offsetOf('v2')).toBe(v2Before + 1);
    expect(await offsetOf('v3')).toBe(typed);

    // The shortcut help lists the playback keys.
    await page.keyboard.press('?');
    const help = page.locator('[role="dialog"]');
    await help.waitFor();
    expect(await help.locator('[data-shortcut-group="Playback"]').innerText()).toMatch(/Space\s+Play \/ pause all views/);
    await page.screenshot({ path: screenshotFile('shortcut-help') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    expect(consoleErrors.filter((text) => /Content.Security.Policy/i.test(text))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(await page.locator('.video-error').count()).toBe(0);
  });

  it('says how to create the demo dataset when the catalog is empty', async () => {
    const host = await startHost(join(studio.work, 'empty-data'));
    otherHosts.push(host);
    const { page, pageErrors } = await openStudioPage(studio.context, host.url);
    await expect.poll(() => page.locator('.empty').innerText().catch(() => ''), { timeout: 20_000 }).toMatch(/No datasets yet/);
    expect(await page.locator('.empty').innerText()).toMatch(/evgap demo/);
    await page.screenshot({ path: screenshotFile('empty-catalog') });
    expect(pageErrors).toEqual([]);
  });
});
