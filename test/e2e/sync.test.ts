// The Sync panel end to end in Chromium against the real headless host: one estimate behind the heat map, the pair's
// buttons and the table (they name the same offset for every view), a readout of the cell under the pointer, a click
// on a row that sets the offset, undo and redo of offset changes (buttons and Ctrl+Z / Ctrl+Shift+Z), typed offsets
// refused in words, and an accepted suggestion that is still there after a reload. Writes the screenshots
// sync-1600x1000.png and sync-1280x720.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openScene, openStudioPage, screenshotFile, useStudio } from './studioProcesses';

const studio = useStudio('sync');

/** How many different colours a canvas shows (a drawn heatmap has many; a blank canvas has one). */
const canvasColours = (page: Page, which: string) =>
  page.locator(`canvas[data-canvas="${which}"]`).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return colours.size;
  });

const offsetOf = async (page: Page, view: string) => Number(await page.locator(`[data-view="${view}"]`).getAttribute('data-offset'));
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
/** `signed(n)` inside a regular expression. */
const signedPattern = (n: number) => signed(n).replace('+', '\\+');
const idle = (page: Page) => expect.poll(() => page.locator('[data-suggestions]').getAttribute('aria-busy'), { timeout: 60_000 }).toBe('false');

/** The table's suggested offset for a view. */
const suggestedIn = async (page: Page, view: string) => Number((await page.locator(`[data-suggestion="${view}"] td`).nth(2).innerText()).replace('+', ''));

/** Sets the offset of `view` by typing into its tile and pressing Enter. */
async function typeOffset(page: Page, view: string, text: string): Promise<void> {
  const input = page.locator(`[data-offset-control="${view}"] input`);
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

describe('the Sync panel', () => {
  it('shows one estimate in the heat map, the pair buttons and the table, with a readout, undo and refusals', async () => {
    const { page, consoleErrors, pageErrors } = await openStudioPage(studio.context, studio.url);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await openScene(page, 'scene01', 12);
    expect(await page.locator('[data-panel-tab="sync"]').getAttribute('aria-selected')).toBe('true');

    // The heat map of e1 / v1 is drawn, large enough to read, with the mean curve beside it.
    const strip = page.locator('[data-sync-strip]');
    await strip.waitFor({ timeout: 60_000 });
    await idle(page);
    expect(await canvasColours(page, 'heatmap')).toBeGreaterThan(20);
    expect(await canvasColours(page, 'mean')).toBeGreaterThan(2);
    const heatmap = page.locator('canvas[data-canvas="heatmap"]');
    const box = (await heatmap.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(300);
    expect(box.height).toBeGreaterThanOrEqual(200);

    // The table: every view of the scene (the catalog starts at the true offsets), all in sync, each with a probability.
    const rows = page.locator('[data-suggestion]');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(12);
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-suggestion')))).toEqual(['e1', 'e2', 'e3', 'e4', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-status')))).toEqual(Array(12).fill('in-sync'));
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/^[ev]\d( \(ref\))?\s+[+-]?\d+\s+[+-]?\d+\s+\d+ %\s+in sync$/);
    expect(await page.locator('[data-pair-status]').innerText()).toMatch(/e1 and v1 are in sync/);

    // Pointing at the heat map says what is there; the legend names the same suggestion as the table.
    await heatmap.hover({ position: { x: box.width * 0.3, y: box.height * 0.25 } });
    await expect.poll(() => page.locator('[data-readout]').innerText()).toMatch(/^v1 at [+-]?\d+ \(shift [+-]?\d+\) · \d+:\d\d \+\d\df · similarity -?\d\.\d{3} \(mean -?\d\.\d{3}\)$/);
    const v1Suggested = await suggestedIn(page, 'v1');
    expect(await strip.locator('figcaption').innerText()).toMatch(new RegExp(`current ${signedPattern(await offsetOf(page, 'v1'))}\\s+suggested ${signedPattern(v1Suggested)}\\s`));

    // A click on a row sets v1 to that row's offset; Undo (button) puts it back, Ctrl+Shift+Z redoes, Ctrl+Z undoes.
    const v1Before = await offsetOf(page, 'v1');
    const readout = await page.locator('[data-readout]').innerText();
    const picked = Number(/^v1 at ([+-]?\d+)/.exec(readout)![1]);
    expect(picked).not.toBe(v1Before);
    await heatmap.click({ position: { x: box.width * 0.3, y: box.height * 0.25 } });
    await expect.poll(() => offsetOf(page, 'v1')).toBe(picked);
    const undo = page.locator('[data-action="undo-offset"]');
    expect(await undo.innerText()).toBe(`Undo v1 ${signed(v1Before)} → ${signed(picked)}`);
    await idle(page);
    // Moved off, v1 is now a change the estimate proposes: back to where it was.
    await expect.poll(() => page.locator('[data-suggestion="v1"]').getAttribute('data-status'), { timeout: 60_000 }).toBe('pending');
    expect(await suggestedIn(page, 'v1')).toBe(v1Before);
    await undo.click();
    await expect.poll(() => offsetOf(page, 'v1')).toBe(v1Before);
    await page.locator('[data-sync-panel] .panel-heading').first().click();
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => offsetOf(page, 'v1')).toBe(picked);
    await page.keyboard.press('Control+z');
    await expect.poll(() => offsetOf(page, 'v1')).toBe(v1Before);
    expect(await page.locator('[data-action="redo-offset"]').isEnabled()).toBe(true);

    // Typed offsets that are not whole frames in range are refused in words at the tile, and nothing is sent.
    const v3Before = await offsetOf(page, 'v3');
    for (const [typed, message] of [
      ['abc', /not a number of frames/],
      ['2.5', /not a whole number of frames/],
      ['1e9', /out of range: at most ±\d+/],
    ] as const) {
      await typeOffset(page, 'v3', typed);
      await expect.poll(() => page.locator('[data-offset-refusal="v3"]').innerText()).toMatch(message);
      expect(await page.locator('[data-offset-control="v3"] input').getAttribute('aria-invalid')).toBe('true');
      expect(await offsetOf(page, 'v3')).toBe(v3Before);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-offset-refusal="v3"]').count()).toBe(0);
    // The range field refuses in words too.
    await page.locator('[data-control="sync-range"]').fill('0');
    await page.locator('[data-control="sync-range"]').press('Enter');
    await expect.poll(() => page.locator('[data-range-error]').innerText()).toMatch(/expected a whole number of frames from 1 to 600, got “0”/);
    await page.locator('[data-control="sync-range"]').fill('30');
    await page.locator('[data-control="sync-range"]').press('Enter');
    await expect.poll(() => page.locator('[data-range-error]').count()).toBe(0);

    // Move v2 well off by typing: the estimate says where it belongs, and the pair panel (e1 / v2) names the same.
    const v2True = await offsetOf(page, 'v2');
    await typeOffset(page, 'v2', String(v2True + 5));
    await expect.poll(() => offsetOf(page, 'v2')).toBe(v2True + 5);
    await page.selectOption('[data-control="sync-exo"]', { label: 'v2' });
    await idle(page);
    const v2Row = page.locator('[data-suggestion="v2"]');
    await expect.poll(() => v2Row.getAttribute('data-status'), { timeout: 60_000 }).toBe('pending');
    const suggested = await suggestedIn(page, 'v2');
    expect(suggested).toBe(v2True);
    const pairButton = page.locator('[data-action="apply-pair"][data-pair-view="v2"]');
    expect(await pairButton.innerText()).toBe(`Set v2 to ${signed(suggested)}`);
    await expect.poll(() => strip.locator('figcaption').innerText()).toMatch(new RegExp(`current ${signedPattern(v2True + 5)}\\s+suggested ${signedPattern(suggested)}\\s`));
    // Only v2 is proposed to move.
    expect(await page.locator('[data-suggestion][data-status="pending"]').count()).toBe(1);
    await page.screenshot({ path: screenshotFile('sync-1600x1000') });

    await v2Row.locator('[data-action="accept"]').click();
    await expect.poll(() => offsetOf(page, 'v2')).toBe(suggested);
    await idle(page);
    await expect.poll(() => v2Row.getAttribute('data-status')).toBe('in-sync');
    expect(await page.locator('[data-pair-status]').innerText()).toMatch(/e1 and v2 are in sync/);

    // A rejected suggestion stays rejected and moves nothing.
    await typeOffset(page, 'v4', String((await offsetOf(page, 'v4')) - 4));
    await idle(page);
    const v4Row = page.locator('[data-suggestion="v4"]');
    await expect.poll(() => v4Row.getAttribute('data-status'), { timeout: 60_000 }).toBe('pending');
    const v4Now = await offsetOf(page, 'v4');
    await v4Row.locator('[data-action="reject"]').click();
    expect(await v4Row.getAttribute('data-status')).toBe('rejected');
    expect(await offsetOf(page, 'v4')).toBe(v4Now);

    // The same panel at 1280×720 with a cell under the pointer.
    await page.setViewportSize({ width: 1280, height: 720 });
    const small = (await heatmap.boundingBox())!;
    await heatmap.hover({ position: { x: small.width * 0.6, y: small.height * 0.5 } });
    await expect.poll(() => page.locator('[data-readout]').innerText()).toMatch(/^v2 at /);
    await page.screenshot({ path: screenshotFile('sync-1280x720') });

    await page.reload();
    await openScene(page, 'scene01', 12);
    expect(await offsetOf(page, 'v2')).toBe(suggested);

    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
