// End to end in Chromium against the real headless host: the annotation round trip. Segments are created, resized,
// split, merged, deleted and relabelled with the mouse and with the keyboard, with undo/redo; autosave reaches the
// catalog (a reload shows the same segments, in the same scene and panel, from the address); both export formats
// download a file (named for its format) whose re-import, confirmed, gives the same segments back. Writes
// test-output/screenshots/annotate.png, annotate-picker.png and annotate-shortcuts.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotFile, useStudio } from './studioProcesses';

interface Bar {
  key: number;
  label: string;
  start: number;
  end: number;
}

const studio = useStudio('annotate', { videos: false });

const bars = (page: Page): Promise<Bar[]> =>
  page.$$eval('[data-segment-key]', (elements) =>
    elements.map((e) => ({
      key: Number(e.getAttribute('data-segment-key')),
      label: e.getAttribute('data-segment') ?? '',
      start: Number(e.getAttribute('data-start')),
      end: Number(e.getAttribute('data-end')),
    })),
  );
const withoutKeys = (list: Bar[]) => list.map(({ label, start, end }) => ({ label, start, end }));
const playhead = async (page: Page) => Number(await page.locator('[data-ruler]').getAttribute('aria-valuenow'));

/** Waits for the Annotate panel's bars (after a reload the address reopens the scene and the panel). */
const annotateShown = (page: Page) => expect.poll(async () => (await bars(page)).length, { timeout: 20_000 }).toBeGreaterThan(3);

/** Opens the demo scene's Annotate panel. */
async function openAnnotate(page: Page): Promise<void> {
  await page.click('[data-tab="library"]');
  await page.click('[data-dataset="demo"]');
  await page.locator('[data-scene]').first().click();
  await page.click('[data-panel-tab="annotate"]');
  await expect.poll(async () => (await bars(page)).length, { timeout: 20_000 }).toBeGreaterThan(3);
}

/** x (page px) of a frame on the segment row, and the row's vertical middle. */
async function frameX(page: Page, frame: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-segment-layer]').boundingBox())!;
  const totalFrames = Number(await page.locator('[data-ruler]').getAttribute('aria-valuemax')) + 1;
  return { x: box.x + ((frame + 0.5) / totalFrames) * box.width, y: box.y + box.height / 2 };
}

async function seek(page: Page, frame: number): Promise<number> {
  const box = (await page.locator('[data-ruler]').boundingBox())!;
  const { x } = await frameX(page, frame);
  await page.mouse.click(x, box.y + box.height / 2);
  return playhead(page);
}

async function drag(page: Page, from: { x: number; y: number }, toX: number): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + toX) / 2, from.y, { steps: 3 });
  await page.mouse.move(toX, from.y, { steps: 3 });
  await page.mouse.up();
}

const saved = (page: Page) => expect.poll(() => page.locator('[data-save-status]').getAttribute('data-save-status'), { timeout: 10_000 }).toBe('saved');

/** Runs of one label that touch are one segment in a per-frame file: what an MS-TCN round trip gives back. */
function asFrameRuns(list: ReturnType<typeof withoutKeys>) {
  const runs: ReturnType<typeof withoutKeys> = [];
  for (const s of list) {
    const last = runs.at(-1);
    if (last && last.label === s.label && last.end === s.start) last.end = s.end;
    else runs.push({ ...s });
  }
  return runs;
}

async function download(page: Page, format: string): Promise<{ name: string; text: string }> {
  await page.selectOption('[data-field="format"]', format);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export"]')]);
  const path = join(studio.work, `${format}-${file.suggestedFilename()}`);
  await file.saveAs(path);
  const { readFileSync } = await import('node:fs');
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

describe('annotation round trip on the headless host', () => {
  it('edits segments with mouse and keyboard, autosaves, survives a reload, and exports/re-imports both formats', async () => {
    const page = await studio.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(studio.url);
    await openAnnotate(page);
    const alerts = page.locator('[role="alert"]');
    const initial = await bars(page);

    // Keyboard delete, undo (Ctrl+Z), redo (Ctrl+Shift+Z and Ctrl+Y).
    await page.keyboard.press('n');
    await expect.poll(() => page.locator('[data-selected-segment]').getAttribute('data-selected-segment')).toBe(String(initial[0]!.key));
    await page.keyboard.press('Delete');
    expect(withoutKeys(await bars(page))).toEqual(withoutKeys(initial.slice(1)));
    await page.keyboard.press('Control+z');
    expect(withoutKeys(await bars(page))).toEqual(withoutKeys(initial));
    await page.keyboard.press('Control+Shift+z');
    expect(withoutKeys(await bars(page))).toEqual(withoutKeys(initial.slice(1)));
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+y');
    expect(withoutKeys(await bars(page))).toEqual(withoutKeys(initial.slice(1)));

    // Mouse delete: select the next bar by clicking it, then the panel's Delete button.
    const second = initial[1]!;
    await page.mouse.click((await frameX(page, Math.floor((second.start + second.end) / 2))).x, (await frameX(page, 0)).y);
    await page.click('[data-action="delete"]');
    const gapEnd = initial[2]!.start;
    expect((await bars(page))[0]!.start).toBe(gapEnd);

    // Mouse create: drag on the empty track from frame 4 to the middle of the free space.
    const created = { start: 4, end: Math.floor(gapEnd * 0.45) };
    await drag(page, await frameX(page, created.start), (await frameX(page, created.end)).x);
    let now = await bars(page);
    const mouseMade = now[0]!;
    expect(Math.abs(mouseMade.start - created.start)).toBeLessThanOrEqual(1);
    expect(Math.abs(mouseMade.end - created.end)).toBeLessThanOrEqual(2);

    // Mouse resize: drag its end edge 10 frames to the left.
    const endEdge = page.locator(`[data-segment-key="${mouseMade.key}"] [data-edge="end"]`);
    const edgeBox = (await endEdge.boundingBox())!;
    await drag(page, { x: edgeBox.x + edgeBox.width / 2, y: edgeBox.y + edgeBox.height / 2 }, (await frameX(page, mouseMade.end - 10)).x);
    now = await bars(page);
    expect(now[0]!.end).toBeLessThan(mouseMade.end - 6);
    expect(now[0]!.end).toBeGreaterThan(mouseMade.end - 14);

    // Keyboard create: S at one playhead position, E at a later one (the playhead's frame is included).
    const sAt = await seek(page, now[0]!.end + 4);
    await page.keyboard.press('s');
    await expect.poll(() => page.locator('[data-marked-start]').getAttribute('data-marked-start')).toBe(String(sAt));
    const eAt = await seek(page, gapEnd - 6);
    await page.keyboard.press('e');
    now = await bars(page);
    const keyMade = now[1]!;
    expect([keyMade.start, keyMade.end]).toEqual([sAt, eAt + 1]);

    // Keyboard resize: Shift+S moves the selected (new) segment's start to the playhead.
    const newStart = await seek(page, sAt + 3);
    await page.keyboard.press('Shift+S');
    expect((await bars(page))[1]!.start).toBe(newStart);

    // Keyboard split at the playhead (X) and keyboard merge (M) back.
    const splitAt = await seek(page, newStart + 8);
    await page.keyboard.press('x');
    now = await bars(page);
    expect([now[1]!.end, now[2]!.start, now[2]!.end]).toEqual([splitAt, splitAt, eAt + 1]);
    await page.keyboard.press('p');
    await page.keyboard.press('m');
    now = await bars(page);
    expect([now[1]!.start, now[1]!.end]).toEqual([newStart, eAt + 1]);

    // Mouse split (panel button at the playhead) and mouse merge (panel button).
    await page.mouse.click((await frameX(page, newStart + 2)).x, (await frameX(page, 0)).y);
    await seek(page, newStart + 10);
    await page.click('[data-action="split"]');
    expect((await bars(page)).filter((b) => b.start >= newStart && b.end <= eAt + 1)).toHaveLength(2);
    await page.mouse.click((await frameX(page, newStart + 2)).x, (await frameX(page, 0)).y);
    await page.click('[data-action="merge"]');
    expect((await bars(page)).filter((b) => b.start >= newStart && b.end <= eAt + 1)).toHaveLength(1);

    // Keyboard relabel: L opens the picker, typing filters, Enter chooses.
    await page.keyboard.press('l');
    await page.locator('[data-label-picker] input').fill('screw bolt');
    await page.screenshot({ path: screenshotFile('annotate-picker') });
    await page.keyboard.press('Enter');
    expect((await bars(page))[1]!.label).toBe('screw bolt');

    // Mouse relabel with a new label: double-click the first bar, type a label the vocabulary lacks, click "Add".
    await page.dblclick(`[data-segment-key="${mouseMade.key}"]`);
    await page.locator('[data-label-picker] input').fill('inspect gearbox');
    await page.click('[data-label-option="inspect gearbox"]');
    await expect.poll(async () => (await bars(page))[0]!.label).toBe('inspect gearbox');
    expect(await page.locator('[data-field="current-label"] option[value="inspect gearbox"]').count()).toBe(1);
    // Undo and redo the relabel from the keyboard.
    await page.keyboard.press('Control+z');
    expect((await bars(page))[0]!.label).not.toBe('inspect gearbox');
    await page.keyboard.press('Control+y');
    expect((await bars(page))[0]!.label).toBe('inspect gearbox');

    // Typed frames in the panel; a value that would overlap is refused in words.
    await page.fill('[data-field="start"]', String(created.start + 1));
    await page.press('[data-field="start"]', 'Enter');
    expect((await bars(page))[0]!.start).toBe(created.start + 1);
    await page.fill('[data-field="end"]', String(now[2]!.start + 5));
    await page.press('[data-field="end"]', 'Enter');
    await expect.poll(() => alerts.first().innerText()).toMatch(/Could not change the segment: frames .* would overlap/);
    await page.click('[role="alert"] button');

    await saved(page);
    const edited = withoutKeys(await bars(page));
    await page.screenshot({ path: screenshotFile('annotate') });

    // Autosave reached the catalog: a reload shows the same segments.
    await page.reload();
    await annotateShown(page);
    expect(withoutKeys(await bars(page))).toEqual(edited);

    // Export both formats, change the scene, re-import each file: the segments come back.
    const coarse = await download(page, 'assembly101-coarse');
    expect(coarse.name).toMatch(/^scene\d+\.coarse\.txt$/);
    expect(coarse.text.split('\n')[0]).toMatch(/^\d{9} \d{9} inspect gearbox$/);
    const mstcn = await download(page, 'mstcn');
    expect(mstcn.name).toBe(coarse.name.replace('.coarse.', '.mstcn.'));
    expect(mstcn.text.split('\n')[0]).toBe('background');

    for (const [format, file, expected] of [
      ['assembly101-coarse', coarse, edited],
      ['mstcn', mstcn, asFrameRuns(edited)],
    ] as const) {
      await page.keyboard.press('n');
      await page.keyboard.press('Delete');
      await saved(page);
      expect(await bars(page)).toHaveLength(edited.length - 1);
      await page.selectOption('[data-field="format"]', format);
      await page.setInputFiles('[data-field="import-file"]', { name: file.name, mimeType: 'text/plain', buffer: Buffer.from(file.text) });
      // Replacing segments asks first.
      await expect.poll(() => page.locator('[data-import-confirm]').innerText()).toContain(`with the ${expected.length} in ${file.name}`);
      await page.click('[data-action="confirm-import"]');
      await expect.poll(async () => withoutKeys(await bars(page)), { timeout: 10_000 }).toEqual(expected);
      await saved(page);
    }
    await page.reload();
    await annotateShown(page);
    expect(withoutKeys(await bars(page))).toEqual(asFrameRuns(edited));

    // Every annotation key is listed in the help overlay.
    await page.keyboard.press('?');
    const help = page.locator('[data-shortcut-group="Annotation"]');
    for (const words of ['Mark a segment start', 'Split', 'Merge', 'Delete the selected', 'Relabel', 'Undo', 'Redo']) {
      expect(await help.innerText()).toContain(words);
    }
    await page.screenshot({ path: screenshotFile('annotate-shortcuts') });

    expect(await alerts.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
