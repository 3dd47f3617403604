// End to end in Chromium against the real headless host: the Scene tab's smaller points. The annotation track: a
// distinct colour per label in use, gaps hatched and counted with a one-click fill (undoable), a dragged edge that
// stops at its neighbour says why (and a shared edge moves both), zoom with the buttons and the wheel keeping the
// playhead in view, export files named per format, an import that replaces segments asks first (and is undoable).
// The clock writes frames as frames ("0:00 +03f"); keys 1–9 and 0 reach views 1–10, "." and "," every view. Writes
// test-output/screenshots/track-*.png at 1600×1000 and 1280×720.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clockFrame, openStudioPage, screenshotSizes, screenshotsAtBothSizes, useStudio } from './studioProcesses';

interface Bar {
  key: number;
  label: string;
  start: number;
  end: number;
  colour: string;
}

const studio = useStudio('track', { videos: false });

const bars = (page: Page): Promise<Bar[]> =>
  page.$$eval('[data-segment-key]', (elements) =>
    elements.map((e) => ({
      key: Number(e.getAttribute('data-segment-key')),
      label: e.getAttribute('data-segment') ?? '',
      start: Number(e.getAttribute('data-start')),
      end: Number(e.getAttribute('data-end')),
      colour: getComputedStyle(e).backgroundColor,
    })),
  );
const spans = (list: Bar[]) => list.map(({ label, start, end }) => ({ label, start, end }));
/** Hands the keys back to the page's shortcuts (a focused select or field keeps them). */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
const saved = (page: Page) => expect.poll(() => page.locator('[data-save-status]').getAttribute('data-save-status'), { timeout: 10_000 }).toBe('saved');

/** Page x of a frame on the segment row at the timeline's current zoom, and the row's middle. */
async function frameX(page: Page, frame: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-segment-layer]').boundingBox())!;
  const timeline = page.locator('[data-timeline]');
  const start = Number(await timeline.getAttribute('data-visible-start'));
  const end = Number(await timeline.getAttribute('data-visible-end'));
  return { x: box.x + ((frame - start) / (end - start)) * box.width, y: box.y + box.height / 2 };
}

async function download(page: Page, format: string): Promise<{ name: string; text: string }> {
  await page.selectOption('[data-field="format"]', format);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export"]')]);
  const path = join(studio.work, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

describe('the Scene tab’s annotation track, clock and view keys', () => {
  it('colours, gaps, edges, zoom, export names, import confirmation, the clock and every view by key', async () => {
    const { page, consoleErrors, pageErrors } = await openStudioPage(studio.context, studio.url);
    await page.setViewportSize(screenshotSizes[0]);
    await page.click('[data-dataset="demo"]');
    await page.locator('[data-scene="scene01"]').click();
    await page.locator('[data-scene-screen="scene01"]').waitFor({ timeout: 20_000 });
    await page.click('[data-panel-tab="annotate"]');
    await expect.poll(async () => (await bars(page)).length, { timeout: 20_000 }).toBeGreaterThan(3);
    const initial = await bars(page);

    // One colour per label, a different one for each label in use.
    const colours = new Map<string, Set<string>>();
    for (const bar of initial) colours.set(bar.label, (colours.get(bar.label) ?? new Set()).add(bar.colour));
    expect([...colours.values()].every((set) => set.size === 1)).toBe(true);
    expect(new Set(initial.map((bar) => bar.colour)).size).toBe(colours.size);
    // The Segments row is comfortable to read and grab.
    expect((await page.locator('[data-segment-layer]').boundingBox())!.height).toBeGreaterThanOrEqual(40);

    // A deleted segment leaves a gap: hatched, counted, filled in one click, and undo brings the gap back.
    const middle = initial[Math.floor(initial.length / 2)]!;
    await page.mouse.click((await frameX(page, (middle.start + middle.end) / 2)).x, (await frameX(page, 0)).y);
    await page.click('[data-action="delete"]');
    const gaps = () =>
      page.$$eval('[data-gap-start]', (elements) => elements.map((e) => ({ start: Number(e.getAttribute('data-gap-start')), end: Number(e.getAttribute('data-gap-end')) })));
    await expect.poll(async () => (await gaps()).some((gap) => gap.start <= middle.start && gap.end >= middle.end)).toBe(true);
    const gapCount = (await gaps()).length;
    expect(Number(await page.locator('[data-gaps]').getAttribute('data-gaps'))).toBe(gapCount);
    expect(await page.locator('[data-gaps]').innerText()).toContain(`${gapCount} ${gapCount === 1 ? 'gap' : 'gaps'}`);
    await screenshotsAtBothSizes(page, 'track-gaps');
    await page.setViewportSize(screenshotSizes[0]);
    await page.click('[data-action="fill-gaps"]');
    expect(await page.locator('[data-gap-start]').count()).toBe(0);
    expect((await bars(page)).some((bar) => bar.label === 'unlabeled' && bar.start <= middle.start && bar.end >= middle.end)).toBe(true);
    await page.keyboard.press('Control+z');
    expect(await page.locator('[data-gap-start]').count()).toBe(gapCount);
    await page.keyboard.press('Control+z');
    expect(spans(await bars(page))).toEqual(spans(initial));

    // Two touching segments: Shift-dragging the first's end into the second stops at the second and says why;
    // a plain drag moves the shared edge, both segments changing.
    const index = initial.findIndex((bar, i) => initial[i + 1]?.start === bar.end && initial[i + 1]!.end - bar.end > 8);
    expect(index).toBeGreaterThanOrEqual(0);
    const [a, b] = [initial[index]!, initial[index + 1]!];
    const edge = (await page.locator(`[data-segment-key="${a.key}"] [data-edge="end"]`).boundingBox())!;
    const from = { x: edge.x + edge.width / 2, y: edge.y + edge.height / 2 };
    const target = (await frameX(page, a.end + 6)).x;
    await page.keyboard.down('Shift');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(target, from.y, { steps: 4 });
    await expect.poll(() => page.locator('[data-drag-note]').innerText()).toContain(`stopped at frame ${a.end}`);
    await screenshotsAtBothSizes(page, 'track-edge-stopped');
    await page.setViewportSize(screenshotSizes[0]);
    await page.mouse.up();
    await page.keyboard.up('Shift');
    expect(spans(await bars(page))).toEqual(spans(initial));
    expect(await page.locator('[data-annotation-notice]').innerText()).toContain(`where “${b.label}”`);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(target, from.y, { steps: 4 });
    await page.mouse.up();
    const rolled = (await bars(page)).filter((bar) => bar.key === a.key || bar.key === b.key);
    expect(rolled.map((bar) => [bar.start, bar.end])).toEqual([
      [a.start, rolled[0]!.end],
      [rolled[0]!.end, b.end],
    ]);
    expect(rolled[0]!.end).toBeGreaterThan(a.end + 3);
    await saved(page);

    // Zoom: the buttons and the wheel, the visible range in words, the playhead kept in view.
    const timeline = page.locator('[data-timeline]');
    await page.click('[data-action="zoom-in"]');
    await page.click('[data-action="zoom-in"]');
    expect(Number(await timeline.getAttribute('data-zoom'))).toBeCloseTo(2.25, 1);
    const ruler = (await page.locator('[data-ruler]').boundingBox())!;
    await page.mouse.move(ruler.x + ruler.width / 2, ruler.y + ruler.height / 2);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => Number(await timeline.getAttribute('data-zoom'))).toBeGreaterThan(3);
    expect(await page.locator('[data-visible-range]').innerText()).toMatch(/^\d:\d\d \+\d\df – \d:\d\d \+\d\df · [\d.]+×$/);
    await page.keyboard.press('End');
    const last = await clockFrame(page);
    await expect.poll(async () => Number(await timeline.getAttribute('data-visible-end'))).toBeGreaterThanOrEqual(last);
    expect(Number(await timeline.getAttribute('data-visible-start'))).toBeLessThanOrEqual(last);
    await page.keyboard.press('Home');
    await expect.poll(async () => Number(await timeline.getAttribute('data-visible-start'))).toBe(0);
    await screenshotsAtBothSizes(page, 'track-zoomed');
    await page.setViewportSize(screenshotSizes[0]);
    await page.click('[data-action="zoom-fit"]');
    expect(Number(await timeline.getAttribute('data-zoom'))).toBe(1);

    // Exports named for their format.
    const coarse = await download(page, 'assembly101-coarse');
    const mstcn = await download(page, 'mstcn');
    expect([coarse.name, mstcn.name]).toEqual(['scene01.coarse.txt', 'scene01.mstcn.txt']);

    // An import that would replace segments asks first; Cancel changes nothing, Replace does, undo takes it back.
    const before = spans(await bars(page));
    await page.selectOption('[data-field="format"]', 'assembly101-coarse');
    const file = { name: 'other.coarse.txt', mimeType: 'text/plain', buffer: Buffer.from('000000000 000000030 take wheel\n000000030 000000090 screw bolt\n') };
    await page.setInputFiles('[data-field="import-file"]', file);
    const confirm = page.locator('[data-import-confirm]');
    await expect.poll(() => confirm.innerText()).toContain(`Replace the ${before.length} segments of this scene with the 2 in other.coarse.txt?`);
    await screenshotsAtBothSizes(page, 'track-import-confirm');
    await page.setViewportSize(screenshotSizes[0]);
    await page.click('[data-action="cancel-import"]');
    expect(spans(await bars(page))).toEqual(before);
    await page.setInputFiles('[data-field="import-file"]', file);
    await page.click('[data-action="confirm-import"]');
    await expect.poll(async () => (await bars(page)).map((bar) => bar.label)).toEqual(['take wheel', 'screw bolt']);
    await blur(page);
    await page.keyboard.press('Control+z');
    expect(spans(await bars(page))).toEqual(before);
    await saved(page);

    // The clock writes frames as frames.
    await blur(page);
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    const clock = page.locator('[data-clock-time]');
    await expect.poll(() => clock.innerText()).toBe('0:00 +03f');
    expect(await clock.getAttribute('title')).toBe('Scene time: 0 s + 3 frames at 15 fps');

    // Every view by key: 0 is view 10, "." and "," step through all twelve.
    const enlarged = () => page.locator('.video-grid').getAttribute('data-enlarged');
    const names = await page.$$eval('[data-view]', (tiles) => tiles.map((t) => t.getAttribute('data-view')!));
    expect(names).toHaveLength(12);
    await page.keyboard.press('0');
    expect(await enlarged()).toBe(names[9]);
    await page.keyboard.press('.');
    expect(await enlarged()).toBe(names[10]);
    await page.keyboard.press('.');
    expect(await enlarged()).toBe(names[11]);
    await page.keyboard.press('.');
    expect(await enlarged()).toBe(names[0]);
    await page.keyboard.press(',');
    expect(await enlarged()).toBe(names[11]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    const views = await page.locator('[data-shortcut-group="Views"]').innerText();
    expect(views).toMatch(/1–9, 0\s+Enlarge view 1–9, or 10 with 0/);
    expect(views).toMatch(/\.\s+Enlarge the next view/);
    expect(await page.locator('[data-shortcut-group="Timeline"]').innerText()).toMatch(/Zoom the timeline in/);
    await screenshotsAtBothSizes(page, 'track-shortcuts');

    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
