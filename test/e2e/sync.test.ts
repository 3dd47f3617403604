// The Sync panel end to end in Chromium against the real headless host: the chosen ego/exo pair's similarity strip
// is drawn (heatmap and mean curve), the per-view offset suggestions are listed with their confidence, and an
// accepted suggestion moves the view at once and is still there after a reload; a rejected one changes nothing.
// Writes test-output/screenshots/sync.png.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createDemoData, launchChromium, openScene, openStudioPage, screenshotFile, startHost, type RunningHost } from './studioProcesses';

let work: string;
let context: BrowserContext;
let host: RunningHost | undefined;

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'evgap-sync-'));
  const dataDir = join(work, 'demo-data');
  await createDemoData(dataDir);
  host = await startHost(dataDir);
  context = await launchChromium(join(work, 'profile'));
});

afterAll(async () => {
  await context?.close();
  await host?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** How many different colours a canvas shows (a drawn heatmap has many; a blank canvas has one). */
const canvasColours = (page: Page, which: string) =>
  page.locator(`canvas[data-canvas="${which}"]`).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colours.size;
  });

const offsetOf = async (page: Page, view: string) => Number(await page.locator(`[data-view="${view}"]`).getAttribute('data-offset'));

describe('the Sync panel', () => {
  it('draws the pair’s strip, lists suggestions, and keeps an accepted offset across a reload', async () => {
    const { page, consoleErrors, pageErrors } = await openStudioPage(context, host!.url);
    await openScene(page, 'scene01', 12);
    expect(await page.locator('[data-panel-tab="sync"]').getAttribute('aria-selected')).toBe('true');

    // The strip of e1 / v1: heatmap and mean curve drawn, offsets marked, the source named.
    const strip = page.locator('[data-sync-strip]');
    await strip.waitFor({ timeout: 30_000 });
    expect(await canvasColours(page, 'heatmap')).toBeGreaterThan(20);
    expect(await canvasColours(page, 'mean')).toBeGreaterThan(2);
    const v1Offset = await offsetOf(page, 'v1');
    expect(await strip.locator('figcaption').innerText()).toMatch(new RegExp(`current ${v1Offset}\\s+suggested -?\\d+\\s+confidence \\d+\\.\\d σ · from features`));
    expect(await page.locator('.strip-axis').innerText()).toMatch(new RegExp(`^\\+?${v1Offset + 30}\\s+exo offset\\s+\\+?${v1Offset - 30}$`));

    // Another pair: the strip follows the choice.
    await page.selectOption('[data-control="sync-exo"]', { label: 'v4' });
    await expect.poll(() => strip.locator('figcaption').innerText()).toMatch(new RegExp(`current ${await offsetOf(page, 'v4')}\\s`));

    // Suggestions: every view but the reference e1, each with a confidence.
    const rows = page.locator('[data-suggestion]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(11);
    const names = await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-suggestion')));
    expect(names).toEqual(['e2', 'e3', 'e4', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/^[ev]\d\s+[+-]?\d+\s+[+-]?\d+\s+\d+\.\d/);

    // Move v2 well off, ask again: v2's suggestion differs from its offset; accept it.
    for (let i = 0; i < 5; i++) await page.click('[data-offset-control="v2"] [data-action="offset-up"]');
    const movedTo = await offsetOf(page, 'v2');
    await page.waitForFunction((value) => document.querySelector('[data-view="v2"]')?.getAttribute('data-offset') === String(value), movedTo);
    await page.click('[data-action="suggest"]');
    await expect.poll(() => page.locator('[data-suggestions]').getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
    const v2Row = page.locator('[data-suggestion="v2"]');
    await expect.poll(() => v2Row.getAttribute('data-status'), { timeout: 30_000 }).toBe('pending');
    const suggested = Number((await v2Row.locator('td').nth(2).innerText()).replace('+', ''));
    expect(suggested).not.toBe(movedTo);
    await v2Row.locator('[data-action="accept"]').click();
    await expect.poll(() => offsetOf(page, 'v2')).toBe(suggested);
    expect(await v2Row.getAttribute('data-status')).toBe('accepted');

    // Reject another pending suggestion, if any: nothing moves.
    const pending = page.locator('[data-suggestion][data-status="pending"]').first();
    if ((await pending.count()) > 0) {
      const view = (await pending.getAttribute('data-suggestion'))!;
      const before = await offsetOf(page, view);
      await pending.locator('[data-action="reject"]').click();
      expect(await page.locator(`[data-suggestion="${view}"]`).getAttribute('data-status')).toBe('rejected');
      expect(await offsetOf(page, view)).toBe(before);
    }
    await page.screenshot({ path: screenshotFile('sync') });

    await page.reload();
    await openScene(page, 'scene01', 12);
    expect(await offsetOf(page, 'v2')).toBe(suggested);

    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
