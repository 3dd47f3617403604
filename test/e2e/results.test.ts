// End to end in Chromium against the real headless host: "Pretrain & evaluate" with the quick settings runs the
// whole pipeline on the demo dataset from the Training tab (its stages shown), then the Results tab shows the
// retrieval, segmentation and anticipation tables in the publication's layout, the novel-view bars, each Δ
// coloured by whether it is better or worse than Base, and opens the HTML report. Writes (at 1280×800)
// test-output/screenshots/results-pipeline.png (the stages while it runs), results.png, results-novel-view.png and
// results-report.png.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createDemoData, launchChromium, screenshotFile, startHost, type RunningHost } from './studioProcesses';

let work: string;
let context: BrowserContext;
let host: RunningHost | undefined;

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'evgap-e2e-results-'));
  await createDemoData(join(work, 'data'), { videos: false });
  host = await startHost(join(work, 'data'));
  context = await launchChromium(join(work, 'profile'));
});

afterAll(async () => {
  await context?.close();
  await host?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the Results tab after a quick pipeline run', () => {
  // The quick pipeline takes about 30 s on two idle cores; the limit leaves room for a busy machine.
  it('shows the publication’s tables and novel-view bars with Δ coloured, and opens the HTML report', { timeout: 300_000 }, async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host!.url);

    await page.click('[data-tab="training"]');
    await page.check('[data-control="quick"]');
    await page.click('[data-action="pretrain-evaluate"]');
    await expect.poll(() => page.locator('[data-stage]').count(), { timeout: 60_000 }).toBeGreaterThan(1);
    await page.screenshot({ path: screenshotFile('results-pipeline') });
    await expect
      .poll(() => page.locator('[data-pipeline-status]').getAttribute('data-pipeline-status'), { timeout: 280_000, interval: 1000 })
      .toBe('completed');
    await page.click('[data-action="show-results"]');

    const table = (kind: string) => page.locator(`.result-table[data-kind="${kind}"]`);
    const headers = (kind: string) => table(kind).locator('thead tr:last-child th').allInnerTexts();
    await expect.poll(() => table('segmentation').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await headers('segmentation')).toEqual(expect.arrayContaining(['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg']));
    expect(await headers('anticipation')).toEqual(expect.arrayContaining(['Verb', 'Object', 'Action']));
    expect(await headers('retrieval')).toEqual(expect.arrayContaining(['R@1', 'R@5', 'R@10', 'MedR ↓']));
    for (const kind of ['segmentation', 'anticipation', 'retrieval', 'novelView']) {
      const first = await table(kind).first().locator('tbody tr').first().evaluate((row) => [row.className, row.querySelector('th[scope="row"]')?.textContent]);
      expect(first, `${kind}: Base first`).toEqual([expect.stringContaining('base'), 'Base']);
    }

    // Novel-view bars: one bar pair per held-out view, each with its Δ.
    const novelViews = Number(await page.locator('[data-novel-views]').first().getAttribute('data-novel-views'));
    expect(novelViews).toBeGreaterThan(0);
    expect(await page.locator('.novel canvas').first().boundingBox()).not.toBeNull();

    // Every Δ is coloured by its tone: green when better than Base, red when worse.
    const deltas = await page.$$eval('.result-table [data-delta]', (spans) =>
      spans.map((span) => ({ tone: span.getAttribute('data-delta'), color: getComputedStyle(span).color })),
    );
    expect(deltas.length).toBeGreaterThan(0);
    const colours = { better: 'rgb(95, 211, 141)', worse: 'rgb(229, 99, 107)', same: 'rgb(154, 163, 173)' } as Record<string, string>;
    for (const delta of deltas) expect(delta.color, `Δ ${delta.tone}`).toBe(colours[delta.tone ?? '']);

    await page.screenshot({ path: screenshotFile('results') });
    await page.locator('.novel').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotFile('results-novel-view') });

    const [report] = await Promise.all([context.waitForEvent('page'), page.click('[data-action="open-report"]')]);
    await report.waitForLoadState();
    expect(await report.locator('table').count()).toBeGreaterThan(0);
    await report.screenshot({ path: screenshotFile('results-report') });

    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });
});
