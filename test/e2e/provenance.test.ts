// End to end in Chromium against the real headless host: a run's provenance on the Training tab. Made with the CLI
// first: two short step-1 runs (6 steps fp32, 8 steps bf16) and a quick pipeline stopped with Ctrl-C once its
// step-1 run trains (a pipeline with a run of its own, both cancelled). On screen: the pipeline's run grouped under
// it (folded, then opened), quick runs marked, what "Pretrain & evaluate" runs with and without the quick check, a
// pipeline's and a run's full resolved config in sections and as JSON, a run named
// and tagged in place (a bad tag refused as typed), the list filtered by tag, and Compare showing the two step-1
// runs' differing config fields and final losses; the names and tags are the catalog's (`evgap runs`).
// Screenshots (test-output/screenshots/), each at 1600×1000 and 1280×720: provenance-runs-*.png (grouped runs
// table), provenance-config-*.png (run details: config), provenance-compare-*.png (Compare: config diff).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../contract/api';
import { root, runCli, screenshotFile, useStudio } from './studioProcesses';

let fp32Run: number;
let bf16Run: number;
let pipelineRun: number;
let childRun: number;

const listRuns = async (): Promise<RunSummary[]> => JSON.parse(await runCli(['runs', '--json', '--data', studio.dataDir])) as RunSummary[];

/** `evgap pipeline --quick`, stopped with Ctrl-C once the step-1 run it started has trained a step. */
async function stoppedPipeline(): Promise<void> {
  const child = spawn(process.execPath, [join(root, 'bin', 'evgap.js'), 'pipeline', '--dataset', 'demo', '--quick', '--json', '--data', studio.dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      // The first training step of the pipeline's step-1 run (a 'progress' event of its training).
      if (/"type":"progress"/.test(output)) {
        child.stdout!.off('data', read);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`evgap pipeline ended (${code}) before training; output:\n${output}`)));
  });
  child.kill('SIGINT');
  expect(await exited).toBe(130);
}

const studio = useStudio('provenance', {
  videos: false,
  // Two step-1 runs (fp32 and bf16) and a quick pipeline stopped during its step-1 run, before the host opens.
  prepare: async (dataDir) => {
    await runCli(['pretrain', '--step', '1', '--dataset', 'demo', '--steps', '6', '--data', dataDir]);
    await runCli(['pretrain', '--step', '1', '--dataset', 'demo', '--steps', '8', '--precision', 'bf16', '--data', dataDir]);
    await stoppedPipeline();
    const runs = await listRuns();
    const [newer, older] = runs.filter((r) => r.kind === 'pretrain-step1' && r.parentRunId === null).map((r) => r.id);
    [bf16Run, fp32Run] = [newer!, older!];
    pipelineRun = runs.find((r) => r.kind === 'pipeline')!.id;
    childRun = runs.find((r) => r.parentRunId === pipelineRun)!.id;
  },
  setupTimeoutMs: 240_000,
});

const row = (page: Page, runId: number) => page.locator(`tr[data-run="${runId}"]`);
const listedIds = (page: Page) => page.$$eval('tr[data-run]', (rows) => rows.map((r) => Number(r.getAttribute('data-run'))));

async function screenshots(page: Page, name: string, scrollTo?: string): Promise<void> {
  for (const [width, height] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width, height });
    if (scrollTo) await page.locator(scrollTo).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotFile(`provenance-${name}-${width}x${height}`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('provenance on the Training tab', () => {
  it('groups a pipeline’s runs, shows a run’s full config, names, tags, filters and compares runs', { timeout: 120_000 }, async () => {
    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(studio.url);
    await page.click('[data-tab="training"]');

    // The pipeline's run is folded under it; both are marked quick.
    await expect.poll(() => listedIds(page), { timeout: 20_000 }).toEqual([pipelineRun, bf16Run, fp32Run]);
    expect(await row(page, pipelineRun).locator('[data-group-size]').getAttribute('data-group-size')).toBe('1');
    expect(await row(page, pipelineRun).locator('[data-badge="quick"]').count()).toBe(1);
    expect(await row(page, fp32Run).locator('[data-badge="quick"]').count()).toBe(0);
    await row(page, pipelineRun).locator('[data-action="toggle-group"]').click();
    await expect.poll(() => listedIds(page)).toEqual([pipelineRun, childRun, bf16Run, fp32Run]);
    expect(await row(page, childRun).getAttribute('data-depth')).toBe('1');
    expect(await row(page, childRun).getAttribute('data-parent')).toBe(String(pipelineRun));
    expect(await row(page, childRun).locator('[data-badge="quick"]').count()).toBe(1);

    // "Pretrain & evaluate" says what it will run: the preset's lengths, the quick check's own when ticked.
    const outline = page.locator('[data-pipeline-outline]');
    expect(await outline.getAttribute('data-pipeline-outline')).toBe('full');
    expect(await outline.getAttribute('data-step1-steps')).toBe(await page.inputValue('[data-field="step1.steps"]'));
    await page.check('[data-control="quick"]');
    await expect.poll(() => outline.getAttribute('data-pipeline-outline')).toBe('quick');
    expect(await outline.getAttribute('data-step1-steps')).toBe('24');
    expect(await outline.innerText()).toMatch(/Quick check runs: step 1 24 steps × 32 pairs · step 2 12 steps/);
    await page.uncheck('[data-control="quick"]');

    // A pipeline opens on its config: its request, seeds and settings beside the engine's sections.
    await row(page, pipelineRun).click();
    await expect.poll(() => page.locator('[data-config-section]').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    expect(await page.locator('[data-config-section="request"] [data-config-field="request.quick"] td').innerText()).toBe('true');
    expect(await page.locator('[data-pipeline-runs] [data-open-run]').allInnerTexts()).toEqual([`#${childRun} pretrain-step1`]);

    // The child's details: the pipeline that started it, quick, and its full resolved config.
    await row(page, childRun).click();
    await expect.poll(() => page.locator('[data-action="open-parent"]').innerText()).toBe(`of pipeline #${pipelineRun}`);
    expect(await page.locator('.run-panel [data-badge="quick"]').isVisible()).toBe(true);
    await page.click('[data-view="config"]');
    const sections = await page.$$eval('[data-config-section]', (tables) => tables.map((t) => t.getAttribute('data-config-section')));
    expect(sections).toEqual(['encoder', 'sampling', 'step1', 'step2', 'training']);
    expect(await page.locator('[data-config-field="training.precision"] td').innerText()).toBe('fp32');
    expect(await page.locator('[data-config-field="seed"] td').innerText()).toBe('1');
    expect(await page.locator('[data-config-field="step1.steps"] td').innerText()).toBe('24'); // the quick check's length
    await screenshots(page, 'config');
    await page.click('[data-action="config-json"]');
    const json = JSON.parse(await page.locator('[data-config-json]').innerText()) as { training: { precision: string } };
    expect(json.training.precision).toBe('fp32');
    await page.click('[data-action="config-json"]');

    // Name the opened run in its details; tag another in the list; a tag that is not one word is refused as typed.
    await page.click('.run-panel [data-action="rename"]');
    await page.fill('.run-panel [data-control="run-name"]', 'smoke step 1');
    await page.press('.run-panel [data-control="run-name"]', 'Enter');
    await expect.poll(() => row(page, childRun).locator('[data-run-name]').getAttribute('data-run-name')).toBe('smoke step 1');
    await row(page, fp32Run).hover();
    await row(page, fp32Run).locator('[data-action="add-tag"]').click();
    await page.fill(`tr[data-run="${fp32Run}"] [data-control="new-tag"]`, 'two words');
    expect(await row(page, fp32Run).locator('[data-error-for="new-tag"]').innerText()).toMatch(/expected a tag of letters, digits/);
    await page.fill(`tr[data-run="${fp32Run}"] [data-control="new-tag"]`, 'sweep');
    await page.press(`tr[data-run="${fp32Run}"] [data-control="new-tag"]`, 'Enter');
    await expect.poll(() => row(page, fp32Run).locator('[data-tag="sweep"]').count()).toBe(1);
    await page.mouse.move(0, 0);
    await screenshots(page, 'runs', 'section[aria-label="Runs"]');
    await page.selectOption('[data-control="tag-filter"]', 'sweep');
    await expect.poll(() => listedIds(page)).toEqual([fp32Run]);
    await page.selectOption('[data-control="tag-filter"]', '');

    // Compare the two step-1 runs: only the fields that differ, and their final losses side by side.
    await page.check(`[data-compare="${fp32Run}"]`);
    await page.check(`[data-compare="${bf16Run}"]`);
    await expect.poll(() => page.locator('[data-diff-field]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const diff = await page.$$eval('[data-diff-field]', (rows) => rows.map((r) => [r.getAttribute('data-diff-field'), ...[...r.querySelectorAll('td')].slice(1).map((td) => td.textContent)]));
    expect(diff).toEqual([
      ['step1.steps', '6', '8'],
      ['training.precision', 'fp32', 'bf16'],
    ]);
    const loss = await page.locator('[data-metric="step 1 · loss"] td').allInnerTexts();
    expect(loss).toHaveLength(2);
    for (const value of loss) expect(Number(value)).toBeGreaterThan(0);
    expect(Number(await page.locator('[data-chart="comparison"]').getAttribute('data-points'))).toBe(6 + 8);
    await page.mouse.move(0, 0);
    await screenshots(page, 'compare', '[data-config-diff]');

    // What was typed is in the catalog.
    const tagged = (await listRuns()).filter((r) => r.tags.includes('sweep')).map((r) => r.id);
    expect(tagged).toEqual([fp32Run]);
    expect((await listRuns()).find((r) => r.id === childRun)!.name).toBe('smoke step 1');
    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });
});
