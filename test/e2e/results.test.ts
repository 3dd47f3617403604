// End to end in Chromium against the real headless host: "Pretrain & evaluate" with the quick settings over two
// seeds runs the whole pipeline on the demo dataset from the Training tab (its stages shown); the Results tab then
// lists only runs with a report (the quick one marked), shows the report's typed tables in the publication's
// layout with mean ± std and N, each Δ coloured when significant and greyed — with the rule — when not, the
// novel-view bars, and opens the HTML report. A second pipeline, evaluating the first one's pre-training runs
// with the step-2-from-random checkpoint gone, fails in the ablation: Results lists it as failed and shows its
// failure notice (stage and error) above the tables it finished, marked partial.
// Screenshots (test-output/screenshots/): results-pipeline.png (the stages while it runs), results-1600x1000.png,
// results-1280x720.png, results-novel-view.png, results-report.png, results-failed-1280x720.png,
// results-failed-1600x1000.png.
import { readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../contract/report';
import { runCli, screenshotFile, useStudio } from './studioProcesses';

/** The completed quick pipeline of the first test, which the second one builds on. */
let pipelineRunId: number | undefined;

const studio = useStudio('results', { videos: false });

const table = (page: Page, kind: string) => page.locator(`.result-table[data-kind="${kind}"]`);
const options = (page: Page) =>
  page.$$eval('[data-control="results-run"] option', (list) => list.map((o) => ({ value: Number((o as HTMLOptionElement).value), label: o.textContent ?? '' })));
const readReport = (runId: number) => JSON.parse(readFileSync(join(studio.dataDir, 'runs', String(runId), 'report', 'report.json'), 'utf8')) as ReportData;

/** Colours of Δ (app.css and ReportTableView.svelte): green better, red worse, muted same, dim grey not significant. */
const colours = { better: 'rgb(95, 211, 141)', worse: 'rgb(229, 99, 107)', same: 'rgb(154, 163, 173)', insignificant: 'rgb(107, 115, 125)' } as Record<string, string>;

describe('the Results tab', () => {
  // The quick pipeline over two seeds takes about a minute on two idle cores; the limit leaves room for a busy machine.
  it('shows a quick two-seed pipeline’s tables with mean ± std and N, greying Δ that are not significant', { timeout: 420_000 }, async () => {
    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(studio.url);

    await page.click('[data-tab="training"]');
    await page.check('[data-control="quick"]');
    await page.fill('[data-control="seeds"]', '2');
    await page.locator('[data-control="seeds"]').dispatchEvent('change');
    await page.click('[data-action="pretrain-evaluate"]');
    await expect.poll(() => page.locator('[data-stage]').count(), { timeout: 60_000 }).toBeGreaterThan(1);
    await page.screenshot({ path: screenshotFile('results-pipeline') });
    await expect
      .poll(() => page.locator('[data-pipeline-status]').getAttribute('data-pipeline-status'), { timeout: 400_000, interval: 1000 })
      .toBe('completed');
    await page.click('[data-action="show-results"]');

    // Only the pipeline is offered (not its pre-training runs), marked as a quick check over two seeds.
    await expect.poll(() => table(page, 'segmentation').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const listed = await options(page);
    expect(listed).toHaveLength(1);
    expect(listed[0]!.label).toMatch(/^#\d+ demo · 2 seeds · quick$/);
    pipelineRunId = listed[0]!.value;
    expect(await page.locator('[data-tag="quick"]').isVisible()).toBe(true);

    const headers = (kind: string) => table(page, kind).locator('thead tr:last-child th').allInnerTexts();
    expect(await headers('segmentation')).toEqual(expect.arrayContaining(['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg']));
    expect(await headers('anticipation')).toEqual(expect.arrayContaining(['Verb', 'Object', 'Action']));
    expect(await headers('retrieval')).toEqual(expect.arrayContaining(['R@1', 'R@5', 'R@10', 'MedR ↓']));
    for (const kind of ['segmentation', 'anticipation', 'novel-view', 'ablation']) {
      expect(await table(page, kind).locator('[data-seeds]').innerText(), kind).toMatch(/^N = 2 seeds \(\d+, \d+\)$/);
      expect(await table(page, kind).locator('tbody tr').first().evaluate((row) => row.classList.contains('base')), `${kind}: Base first`).toBe(true);
    }
    // Pre-training ran once: retrieval has one seed and says there is no spread.
    expect(await table(page, 'retrieval').locator('[data-seeds]').innerText()).toMatch(/^N = 1 \(seed \d+\): no spread$/);
    // Every number of a two-seed table carries its spread.
    const spreads = await table(page, 'segmentation').locator('tbody tr.base td .sd').allInnerTexts();
    expect(spreads.length).toBe(12);
    for (const spread of spreads) expect(spread).toMatch(/^± \d+\.\d$/);

    // Each Δ: coloured by tone when significant, greyed when not (with the rule under the table).
    const deltas = await page.$$eval('.result-table [data-significance]', (spans) =>
      spans.map((span) => ({ tone: span.getAttribute('data-delta')!, significance: span.getAttribute('data-significance')!, color: getComputedStyle(span).color })),
    );
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.some((d) => d.significance === 'not-significant')).toBe(true);
    for (const d of deltas) expect(d.color, `Δ ${d.tone} ${d.significance}`).toBe(colours[d.significance === 'not-significant' ? 'insignificant' : d.tone]);
    expect(await table(page, 'segmentation').locator('[data-rule]').innerText()).toContain('|mean Δ| > t(0.975, N − 1) · sd(Δ) / √N');

    // Novel-view bars: one bar pair per held-out view, each with its Δ.
    expect(Number(await page.locator('[data-novel-views]').first().getAttribute('data-novel-views'))).toBeGreaterThan(0);
    expect(await page.locator('.novel canvas').first().boundingBox()).not.toBeNull();

    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.screenshot({ path: screenshotFile('results-1600x1000') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: screenshotFile('results-1280x720') });
    await page.locator('.novel').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotFile('results-novel-view') });

    const [report] = await Promise.all([studio.context.waitForEvent('page'), page.click('[data-action="open-report"]')]);
    await report.waitForLoadState();
    expect(await report.locator('table.result-table[data-kind="segmentation"][data-n="2"]').count()).toBe(1);
    expect(await report.locator('.sd').count()).toBeGreaterThan(0);
    await report.screenshot({ path: screenshotFile('results-report') });

    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });

  it('lists a failed pipeline with its failure notice and the tables it finished, marked partial', { timeout: 300_000 }, async () => {
    expect(pipelineRunId, 'the first test’s pipeline').toBeDefined();
    const { runs } = readReport(pipelineRunId!);
    const [pretrained] = runs;
    // Evaluate the first pipeline's pre-training runs with the step-2-from-random run's checkpoints moved away:
    // the ablation (the last stage before the report) cannot load it.
    const fromRandom = join(studio.dataDir, 'runs', String(pretrained!.step2FromRandom));
    const checkpoints = readdirSync(fromRandom).filter((name) => name.endsWith('.safetensors'));
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const name of checkpoints) renameSync(join(fromRandom, name), join(fromRandom, `${name}.moved`));
    let failure: { code?: number; stderr?: string } = {};
    try {
      await runCli(['pipeline', '--data', studio.dataDir, '--dataset', 'demo', '--quick', '--step1-run', String(pretrained!.step1), '--step2-run', String(pretrained!.step2), '--step2-random-run', String(pretrained!.step2FromRandom)]);
    } catch (error) {
      failure = error as { code?: number; stderr?: string };
    } finally {
      for (const name of checkpoints) renameSync(join(fromRandom, `${name}.moved`), join(fromRandom, name));
    }
    expect(failure.code, failure.stderr).toBe(1);
    expect(failure.stderr).toMatch(/Partial report \(what was finished\): /);

    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(studio.url);
    await page.click('[data-tab="results"]');
    await expect.poll(async () => (await options(page)).length, { timeout: 20_000 }).toBe(2);
    const [failed, completed] = await options(page);
    expect(completed!.value).toBe(pipelineRunId);
    expect(failed!.label).toMatch(/^#\d+ demo · 1 seed · quick · failed in ablation$/);
    // The newest completed run opens first; the failed one is a choice away.
    await expect.poll(() => page.inputValue('[data-control="results-run"]')).toBe(String(pipelineRunId));
    await page.selectOption('[data-control="results-run"]', String(failed!.value));

    const notice = page.locator('[data-run-notice="failed"]');
    await expect.poll(() => notice.count(), { timeout: 20_000 }).toBe(1);
    expect(await notice.innerText()).toContain('This pipeline failed in stage ablation.');
    expect(await page.locator('[data-run-error]').innerText()).toMatch(/^ablation: /);
    expect(await page.locator('[data-partial="true"]').count()).toBe(1);
    for (const kind of ['retrieval', 'segmentation', 'novel-view', 'anticipation']) expect(await table(page, kind).count(), kind).toBe(1);
    expect(await table(page, 'ablation').count()).toBe(0);
    await page.screenshot({ path: screenshotFile('results-failed-1280x720') });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.screenshot({ path: screenshotFile('results-failed-1600x1000') });

    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });
});
