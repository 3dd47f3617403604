// The Library tab end to end in Chromium against the real headless host: the demo dataset with its counts, its
// scenes with theirs, search and filters narrowing the table, and a scene opening in the Scene tab.
// Writes test-output/screenshots/library.png and library-filtered.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openStudioPage, screenshotFile, useStudio } from './studioProcesses';

const studio = useStudio('library');

const shownScenes = (page: Page) => page.locator('[data-scene-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-scene-row')));

describe('the Library tab', () => {
  it('lists the datasets and scenes with their counts, searches and filters them, and opens a scene', async () => {
    const { page, consoleErrors, pageErrors } = await openStudioPage(studio.context, studio.url);

    const dataset = page.locator('[data-dataset="demo"]');
    await expect.poll(() => dataset.innerText().catch(() => ''), { timeout: 20_000 }).toMatch(/3 scenes · 36 views/);
    expect(await dataset.innerText()).toMatch(/\d+ segments · 0 runs/);
    await expect.poll(() => shownScenes(page), { timeout: 20_000 }).toEqual(['scene01', 'scene02', 'scene03']);

    const firstRow = await page.locator('[data-scene-row="scene01"] td').allInnerTexts();
    expect(firstRow.slice(0, 5)).toEqual(['scene01', 'train', '4', '8', '48.0 s']);
    expect(Number(firstRow[5])).toBeGreaterThan(0);
    expect(firstRow[6]).toBe('0');
    const segmentTotal = (await page.locator('[data-count="segments"]').allInnerTexts()).reduce((sum, n) => sum + Number(n), 0);
    expect(await dataset.innerText()).toContain(`${segmentTotal} segments`);
    expect(await page.locator('[data-scene-count]').innerText()).toBe('3 of 3 scenes');
    await page.screenshot({ path: screenshotFile('library') });

    await page.fill('[data-control="scene-search"]', 'ENE02');
    await expect.poll(() => shownScenes(page)).toEqual(['scene02']);
    expect(await page.locator('[data-scene-count]').innerText()).toBe('1 of 3 scenes');
    await page.fill('[data-control="scene-search"]', 'scene 3');
    await expect.poll(() => shownScenes(page)).toEqual(['scene03']);
    await page.fill('[data-control="scene-search"]', 'scene 4');
    await expect.poll(() => shownScenes(page)).toEqual([]);
    expect(await page.locator('.library-main .placeholder').innerText()).toBe('No scene matches the filter.');
    await page.fill('[data-control="scene-search"]', '');

    await page.selectOption('[data-control="split-filter"]', 'test');
    await expect.poll(() => shownScenes(page)).toEqual(['scene02', 'scene03']);
    await page.selectOption('[data-control="annotation-filter"]', 'unannotated');
    await expect.poll(() => shownScenes(page)).toEqual([]);
    await page.selectOption('[data-control="annotation-filter"]', 'annotated');
    await expect.poll(() => shownScenes(page)).toEqual(['scene02', 'scene03']);
    await page.screenshot({ path: screenshotFile('library-filtered') });
    await page.click('[data-action="clear-filter"]');
    await expect.poll(() => shownScenes(page)).toEqual(['scene01', 'scene02', 'scene03']);

    await page.click('[data-scene="scene03"]');
    await page.locator('[data-scene-screen="scene03"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-tab="scene"]').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[data-tab="scene"]').innerText()).toMatch(/Scene\s*scene03/);
    await page.click('[data-tab="library"]');
    await expect.poll(() => page.locator('tr.open').getAttribute('data-scene-row')).toBe('scene03');

    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
