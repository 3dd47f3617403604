// End to end in Chromium against the real headless host and training worker: on the demo dataset, the Training
// tab shows the presets' settings and the backend that will run; a step-1 run fills the live charts, pauses,
// resumes and is cancelled; a second one with few steps completes; the runs list shows both with their status;
// the two runs' loss curves are compared; the screen keeps its state and live feed across tabs. Writes
// test-output/screenshots/training.png (at 1280×800).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createDemoData, launchChromium, screenshotFile, startHost, type RunningHost } from './studioProcesses';

let work: string;
let context: BrowserContext;
let host: RunningHost | undefined;

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'evgap-e2e-training-'));
  await createDemoData(join(work, 'data'), { videos: false });
  host = await startHost(join(work, 'data'));
  context = await launchChromium(join(work, 'profile'));
});

afterAll(async () => {
  await context?.close();
  await host?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const runState = (page: Page) => page.locator('[data-run-state]').getAttribute('data-run-state').catch(() => null);
const chartPoints = async (page: Page, chart: string) => Number(await page.locator(`[data-chart="${chart}"]`).getAttribute('data-points'));
const runRows = (page: Page) =>
  page.$$eval('[data-run]', (rows) => rows.map((r) => ({ id: Number(r.getAttribute('data-run')), status: r.getAttribute('data-status'), kind: r.getAttribute('data-kind') })));

/** Starts a step-1 run with the given number of steps from the form; resolves with its id (the opened run). */
async function startStep1(page: Page, steps: number): Promise<number> {
  const before = new Set((await runRows(page)).map((r) => r.id));
  await page.fill('[data-field="step1.steps"]', String(steps));
  await page.click('[data-action="pretrain-step1"]');
  await expect.poll(async () => (await runRows(page)).find((r) => !before.has(r.id))?.id ?? null, { timeout: 20_000 }).not.toBeNull();
  return (await runRows(page)).find((r) => !before.has(r.id))!.id;
}

describe('the Training tab on the headless host', () => {
  it('trains step 1 with live charts, pauses, resumes, cancels, completes, lists and compares runs', { timeout: 120_000 }, async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host!.url);
    await page.click('[data-tab="training"]');

    // The demo preset's settings and the backend, with the reason for each one skipped.
    await expect.poll(() => page.inputValue('[data-field="step1.steps"]'), { timeout: 20_000 }).toBe('300');
    expect(await page.inputValue('[data-field="step1.lr"]')).toBe('0.0005');
    expect(await page.inputValue('[data-field="step2.bias"]')).toBe('learnable'); // the demo preset starts step 2 like SigLIP
    // The demo's features are 32-d: the encoder's input size follows the dataset, not the preset's 2048.
    await expect.poll(() => page.locator('[data-feature-dim]').innerText(), { timeout: 10_000 }).toBe('32');
    await expect.poll(() => page.locator('[data-backend]').getAttribute('data-backend'), { timeout: 30_000 }).not.toBe('');
    expect(await page.locator('.backend li').count()).toBeGreaterThan(0);

    // An invalid value is named and blocks nothing silently.
    await page.fill('[data-field="step1.lr"]', 'fast');
    expect(await page.locator('[data-error-for="step1.lr"]').innerText()).toMatch(/expected a number/);
    await page.fill('[data-field="step1.lr"]', '0.0005');

    // Run A: long enough to pause, resume and cancel while it trains.
    const runA = await startStep1(page, 400);
    await expect.poll(() => runState(page), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.click('[data-action="pause"]');
    await expect.poll(() => runState(page), { timeout: 20_000 }).toBe('paused');
    const pausedAt = await chartPoints(page, 'loss');
    await page.click('[data-action="resume"]');
    await expect.poll(() => runState(page), { timeout: 20_000 }).toBe('running');
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 30_000 }).toBeGreaterThan(pausedAt);
    for (const chart of ['auxiliary', 'logit-scale', 'throughput']) expect(await chartPoints(page, chart), chart).toBeGreaterThan(0);
    // The screen keeps its state across tabs: back from the Library, the run is still open and its charts still live.
    await page.click('[data-tab="library"]');
    await page.click('[data-tab="training"]');
    const backAt = await chartPoints(page, 'loss');
    expect(backAt).toBeGreaterThan(pausedAt);
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 30_000 }).toBeGreaterThan(backAt);
    await page.click('[data-action="cancel"]');
    await expect.poll(() => runState(page), { timeout: 20_000 }).toBe('cancelled');

    // Run B: a few steps, to completion.
    const runB = await startStep1(page, 6);
    await expect.poll(() => runState(page), { timeout: 40_000 }).toBe('completed');
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 10_000 }).toBeGreaterThan(0);

    await expect
      .poll(async () => (await runRows(page)).filter((r) => r.id === runA || r.id === runB).map((r) => [r.id, r.kind, r.status]))
      .toEqual([
        [runB, 'pretrain-step1', 'completed'],
        [runA, 'pretrain-step1', 'cancelled'],
      ]);

    // Compare the two runs' loss curves (ticked in the runs list).
    await page.check(`[data-compare="${runA}"]`);
    await page.check(`[data-compare="${runB}"]`);
    await expect.poll(() => chartPoints(page, 'comparison'), { timeout: 10_000 }).toBeGreaterThan(2);
    expect(await page.locator('[data-comparison-summary]').innerText()).toMatch(/At step \d+: #\d+ pretrain-step1 [\d.]+, #\d+ pretrain-step1 [\d.]+/);

    // Step 2 can now start from the completed step-1 run.
    expect(await page.locator('[data-control="init-run"]').inputValue()).toBe(String(runB));

    await page.screenshot({ path: screenshotFile('training') });
    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });
});
