// End to end in Chromium against the headless host: on the Training tab, "Export for a cluster…" writes the step-1
// run the typed settings describe as a PyTorch job folder (here into a chosen folder, with the gathered step-1
// loss and a changed step count), and shows the folder and the commands that train it and bring it back. Writes
// test-output/screenshots/cluster-export.png.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotFile, useStudio } from './studioProcesses';

const studio = useStudio('cluster', { videos: false });

describe('Export for a cluster… on the Training tab', () => {
  it('writes a step-1 job folder with the typed settings and shows how to train and import it', { timeout: 90_000 }, async () => {
    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(studio.url);
    await page.click('[data-tab="training"]');
    await expect.poll(() => page.inputValue('[data-field="step1.steps"]'), { timeout: 20_000 }).toBe('300');
    await expect.poll(() => page.locator('[data-feature-dim]').innerText(), { timeout: 10_000 }).toBe('32');
    await page.fill('[data-field="step1.steps"]', '40');

    await page.click('[data-action="open-cluster-export"]');
    expect(await page.locator('[data-control="job-step"] option[value="2"]').isDisabled()).toBe(true); // no step-1 run yet
    await page.selectOption('[data-control="job-step1-loss"]', 'gathered');
    const folder = join(studio.work, 'my-job');
    await page.fill('[data-control="job-folder"]', folder);
    await page.click('[data-action="export-job"]');

    await expect.poll(() => page.locator('[data-exported-folder]').innerText().catch(() => ''), { timeout: 30_000 }).toBe(folder);
    const result = await page.locator('[data-exported-job]').innerText();
    // The training split only: the test scenes the pipeline evaluates on stay unseen.
    expect(result).toMatch(/pretrain-step1: 40 steps, \d+ batches per epoch, 12 feature tracks/);
    expect(result).toContain(`${folder}/launch.sh --nproc N`);
    expect(result).toContain(`evgap import run ${folder}`);
    const spec = JSON.parse(readFileSync(join(folder, 'job.json'), 'utf8'));
    expect(spec).toMatchObject({ step: 1, step1Loss: 'gathered', config: { encoder: { inputDim: 32 }, step1: { steps: 40 } } });
    expect(existsSync(join(folder, 'python', 'evgap_torch', 'train.py'))).toBe(true);

    await page.screenshot({ path: screenshotFile('cluster-export') });
    expect(pageErrors).toEqual([]);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });
});
