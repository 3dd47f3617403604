// End to end in Chromium against the real headless host: the Sampling panel starts from the demo preset's
// settings, its counts and the timeline's clip windows follow changes of w1, w2, the scale range and the views, a
// bad value is explained in words (and draws no windows), and the settings save as a named sampling config.
// Writes test-output/screenshots/sampling.png and sampling-error.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotFile, useStudio } from './studioProcesses';

const studio = useStudio('sampling', { videos: false });

const count = async (page: Page, name: string) => Number((await page.locator(`[data-count="${name}"]`).innerText()).replace(/,/g, ''));
const drawnWindows = async (page: Page) => Number(await page.locator('[data-window-layer]').getAttribute('data-window-count'));
/** Width in px of the first window's shortest and longest bar on the timeline. */
const firstWindowWidths = (page: Page) =>
  page.$eval('[data-window-layer]', (layer) => ({
    shortest: (layer.querySelector('.shortest') as HTMLElement | null)?.getBoundingClientRect().width ?? 0,
    longest: (layer.querySelector('.longest') as HTMLElement | null)?.getBoundingClientRect().width ?? 0,
  }));
const value = (page: Page, field: string) => page.locator(`[data-sampling-field="${field}"]`).inputValue();

async function counts(page: Page) {
  return {
    windows: await count(page, 'windows'),
    pairs: await count(page, 'pairs'),
    groups: await count(page, 'groups'),
    pairBatches: await count(page, 'pairBatches'),
    groupBatches: await count(page, 'groupBatches'),
    sceneWindows: await count(page, 'sceneWindows'),
  };
}

/** Types a value and waits until the counts answer it (they differ from `before`). */
async function change(page: Page, field: string, text: string, before: Awaited<ReturnType<typeof counts>>) {
  await page.fill(`[data-sampling-field="${field}"]`, text);
  await expect.poll(() => counts(page), { timeout: 10_000 }).not.toEqual(before);
  await expect.poll(() => page.locator('[data-sampling-counts]').getAttribute('aria-busy')).toBe('false');
  return counts(page);
}

describe('the sampling panel on the headless host', () => {
  it('updates counts and timeline windows as settings change, and explains a bad value in words', async () => {
    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(studio.url);
    await page.click('[data-dataset="demo"]');
    await page.locator('[data-scene]').first().click();
    await page.click('[data-panel-tab="sampling"]');

    // Defaults: the demo preset (w1 20, w2 10, scale 0.5–2), said so; counts and windows arrive.
    await expect.poll(() => page.locator('[data-preset]').getAttribute('data-preset'), { timeout: 20_000 }).toBe('demo');
    expect(await page.locator('[data-preset]').innerText()).toMatch(/demo preset/);
    expect([await value(page, 'window'), await value(page, 'stride'), await value(page, 'scaleMin'), await value(page, 'scaleMax')]).toEqual(['20', '10', '0.5', '2']);
    await expect.poll(() => page.locator('[data-count="windows"]').count(), { timeout: 20_000 }).toBe(1);
    const initial = await counts(page);
    expect(initial.windows).toBeGreaterThan(0);
    expect(initial.pairs).toBe(initial.windows * 4 * 8);
    expect(initial.groups).toBe(initial.windows);
    expect(await drawnWindows(page)).toBe(initial.sceneWindows);
    expect(initial.sceneWindows).toBeGreaterThan(10);
    const initialWidths = await firstWindowWidths(page);
    expect(initialWidths.longest / initialWidths.shortest).toBeCloseTo(4, 1);

    // w2: a doubled stride halves the windows (within one at each scene's end).
    const stride20 = await change(page, 'stride', '20', initial);
    expect(Math.abs(stride20.windows - initial.windows / 2)).toBeLessThanOrEqual(3);
    await expect.poll(() => drawnWindows(page)).toBe(stride20.sceneWindows);

    // w1: longer windows draw longer bars and leave fewer whole windows in a scene.
    const window40 = await change(page, 'window', '40', stride20);
    expect(window40.windows).toBeLessThan(stride20.windows);
    await expect.poll(async () => (await firstWindowWidths(page)).shortest).toBeGreaterThan(initialWidths.shortest * 1.8);

    // Scale range: max 1 makes the longest window the shortest's double only.
    const scale = await change(page, 'scaleMax', '1', window40);
    expect(scale.windows).toBeGreaterThan(window40.windows);
    await expect.poll(async () => {
      const w = await firstWindowWidths(page);
      return Math.round((w.longest / w.shortest) * 10) / 10;
    }).toBe(2);

    // Views: without v2..v8 a group holds 4 ego + 1 exo clips, and there are an eighth of the pairs.
    for (const name of ['v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']) await page.uncheck(`[data-view-check="${name}"]`);
    await expect.poll(() => count(page, 'pairs'), { timeout: 10_000 }).toBe(scale.pairs / 8);
    expect(await page.locator('[data-sampling-counts]').innerText()).toMatch(/4 ego \+ 1 exo/);
    await page.screenshot({ path: screenshotFile('sampling') });

    // Unticking the last exo view is refused in words.
    await page.uncheck('[data-view-check="v1"]');
    await expect.poll(() => page.locator('[data-sampling-problems]').innerText()).toMatch(/Choose at least one exo view/);
    await page.check('[data-view-check="v1"]');

    // A bad value: scale min above max is explained, no windows are drawn, nothing can be saved.
    await page.fill('[data-sampling-field="scaleMin"]', '3');
    await expect
      .poll(() => page.locator('[data-sampling-problems]').innerText())
      .toMatch(/Scale min \(3\) is larger than scale max \(1\): the shortest window would be longer than the longest/);
    await expect.poll(() => drawnWindows(page)).toBe(0);
    expect(await page.locator('[data-window-layer]').innerText()).toMatch(/No windows: Scale min \(3\)/);
    expect(await page.locator('[data-action="save-sampling"]').isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotFile('sampling-error') });

    // Fixed again: counts and windows come back; the settings save as a named config.
    await page.fill('[data-sampling-field="scaleMin"]', '0.5');
    await expect.poll(() => drawnWindows(page), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.fill('[data-field="config-name"]', 'demo one exo');
    await page.click('[data-action="save-sampling"]');
    await expect.poll(() => page.locator('[data-saved-config]').innerText()).toMatch(/Saved “demo one exo” \(config \d+\)/);

    // Reset puts the preset's numbers and every view back.
    await page.click('[data-action="reset-sampling"]');
    await expect.poll(() => counts(page), { timeout: 10_000 }).toEqual(initial);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
