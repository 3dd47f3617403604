// End to end in Chromium against the real headless host and training worker: on the demo dataset, the Training
// tab shows the presets' settings and the backend that will run; a step-1 run fills the live charts, pauses,
// resumes and is cancelled; a second one with few steps completes; the runs list shows both with their status;
// the two runs' loss curves are compared; the screen keeps its state and live feed across tabs. Writes
// test-output/screenshots/training.png (at 1280×800). Checks before a run: with an annotation gap made in the
// train scene, "Pretrain & evaluate" does not start but lists the gap (scene and frames) with its fix; the fix's
// button sets the unlabeled class and checks again; while a run trains, a start asks before a second run and
// Cancel asks before cancelling; a failed run's reason is in the runs list (training-checks-*.png and
// training-second-run-*.png at 1600×1000 and 1280×720).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotFile, useStudio } from './studioProcesses';

/** The frames of the train scene no segment covers any more, and the failed pipeline run (see makeAnnotationGap). */
let gap: { scene: string; start: number; end: number; failedRunId: number };
const failure = 'segmentation: ArgumentError: scene scene01: frame 14 is in no segment and no unlabeled class was given';

/**
 * Deletes the second segment of the demo's train scene straight in the catalog file (before the host opens it), so
 * that its frames are in no segment: the annotation gap the checks before a run must find. Pre-training reads no
 * labels, so the step-1 runs of the first test do not notice it. Adds the pipeline run such a gap failed before
 * there were checks, with its reason, as the runs list must show it.
 */
function makeAnnotationGap(catalogPath: string): typeof gap {
  const db = new Database(catalogPath);
  try {
    const failed = db
      .prepare(
        `INSERT INTO runs (dataset_id, kind, config, status, error, started_at, finished_at)
         VALUES ((SELECT id FROM datasets WHERE name = 'demo'), 'pipeline', '{"request":{"dataset":"demo","preset":"demo","quick":true}}', 'failed', ?,
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
      )
      .run(failure);
    const segment = db
      .prepare(
        `SELECT s.id, sc.name AS scene, s.start_frame AS start, s.end_frame AS end FROM segments s JOIN scenes sc ON sc.id = s.scene_id
         WHERE sc.split = 'train' ORDER BY sc.name, s.start_frame LIMIT 1 OFFSET 1`,
      )
      .get() as { id: number; scene: string; start: number; end: number };
    db.prepare('DELETE FROM segments WHERE id = ?').run(segment.id);
    return { scene: segment.scene, start: segment.start, end: segment.end, failedRunId: Number(failed.lastInsertRowid) };
  } finally {
    db.close();
  }
}

const studio = useStudio('training', {
  videos: false,
  prepare: (dataDir) => {
    gap = makeAnnotationGap(join(dataDir, 'catalog.sqlite'));
  },
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
    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(studio.url);
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
    await page.click('[data-confirm-dialog] [data-action="confirm-yes"]');
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
    // Both runs' metrics load on their own: wait until the summary names both.
    await expect
      .poll(() => page.locator('[data-comparison-summary]').innerText(), { timeout: 10_000 })
      .toMatch(/At step \d+: #\d+ pretrain-step1 [\d.]+, #\d+ pretrain-step1 [\d.]+/);

    // Step 2 can now start from the completed step-1 run.
    expect(await page.locator('[data-control="init-run"]').inputValue()).toBe(String(runB));

    await page.screenshot({ path: screenshotFile('training') });
    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });

  it('checks the datasets before "Pretrain & evaluate", applies the unlabeled-class fix, and asks before a second run and a cancel', { timeout: 120_000 }, async () => {
    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(studio.url);
    await page.click('[data-tab="training"]');
    await expect.poll(() => page.locator('[data-feature-dim]').innerText(), { timeout: 20_000 }).toBe('32');
    const runsBefore = (await runRows(page)).length;
    // A failed run says why in the runs list (in full on hover).
    const reason = page.locator(`[data-run="${gap.failedRunId}"] [data-run-reason]`);
    expect(await reason.innerText()).toBe(failure.replace('ArgumentError: ', ''));
    expect(await reason.getAttribute('title')).toBe(failure);

    // The gap keeps the pipeline from starting: the panel names the scene and its frames, with the fix.
    await page.check('[data-control="quick"]');
    await page.click('[data-action="pretrain-evaluate"]');
    const panel = page.locator('[data-run-check]');
    await expect.poll(() => panel.getAttribute('data-run-check').catch(() => null), { timeout: 20_000 }).toBe('refused');
    const problem = panel.locator(`[data-problem="error"][data-problem-scene="${gap.scene}"]`);
    expect(await problem.innerText()).toContain(`frames ${gap.start}–${gap.end - 1}`);
    expect(await problem.locator('[data-problem-fix]').innerText()).toBe("Fix: fill gaps with class 'unlabeled'");
    expect(await panel.locator('h3').innerText()).toMatch(/^Pretrain & evaluate did not start: 1 problem to fix/);
    expect((await runRows(page)).length).toBe(runsBefore);
    await page.screenshot({ path: screenshotFile('training-checks-1600x1000') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: screenshotFile('training-checks-1280x720') });

    // The fix sets the class and checks again: no error is left (the panel goes, or keeps only warnings).
    await page.click('[data-action="apply-fix"]');
    await expect.poll(() => page.inputValue('[data-control="unlabeled-class"]'), { timeout: 10_000 }).toBe('unlabeled');
    await expect.poll(() => page.locator('[data-problem="error"]').count(), { timeout: 10_000 }).toBe(0);
    await page.uncheck('[data-control="quick"]');

    // While a step-1 run trains, another start asks first; "Go back" starts nothing.
    const running = await startStep1(page, 400);
    await expect.poll(() => runState(page), { timeout: 30_000 }).toBe('running');
    await page.click('[data-action="pretrain-evaluate"]');
    const dialog = page.locator('[data-confirm-dialog]');
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.locator('h2').innerText()).toBe('A run is in progress — start a second one?');
    expect(await dialog.innerText()).toContain(`Run #${running} pretrain-step1 (running) is not finished`);
    await page.screenshot({ path: screenshotFile('training-second-run-1280x720') });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.screenshot({ path: screenshotFile('training-second-run-1600x1000') });
    await dialog.locator('[data-action="confirm-no"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect((await runRows(page)).filter((r) => r.kind === 'pipeline').map((r) => r.id)).toEqual([gap.failedRunId]);

    // Cancel asks too: "Go back" leaves the run training, "Cancel the run" cancels it.
    await page.click('[data-action="cancel"]');
    expect(await dialog.locator('h2').innerText()).toBe(`Cancel run #${running}?`);
    await dialog.locator('[data-action="confirm-no"]').click();
    expect(await runState(page)).toBe('running');
    await page.click('[data-action="cancel"]');
    await dialog.locator('[data-action="confirm-yes"]').click();
    await expect.poll(() => runState(page), { timeout: 20_000 }).toBe('cancelled');
    expect(pageErrors).toEqual([]);
  });
});
