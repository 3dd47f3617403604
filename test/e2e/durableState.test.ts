// End to end in Chromium against the real headless host: durable state. The open tab, scene, side panel and run are
// in the address (`#/scene/<id>?panel=annotate`): a reload shows the same scene and panel, Back returns to the
// previous tab, a link opens what it names, and the host's token leaves the address bar once the cookie is set.
// Then the host is stopped: edits are refused visibly (an offset change is undone with a reason, an annotation edit
// says "Not saved", never "Saved"), and when a new host starts on the same port with a new token the page stops
// reconnecting and says to open the new address; the catalog never got the edits. Writes
// test-output/screenshots/durable-*.png at 1600×1000 and 1280×720.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openStudioPage, startHost, screenshotsAtBothSizes, useStudio } from './studioProcesses';

const studio = useStudio('durable', { videos: false });

const hashOf = (page: Page) => page.evaluate(() => window.location.hash);
const bars = (page: Page) => page.locator('[data-segment-key]').count();
const tileOffset = async (page: Page, view: string) => Number(await page.locator(`[data-view="${view}"]`).getAttribute('data-offset'));

describe('durable state on the headless host', () => {
  it('keeps scene, panel, tab and run in the address; refuses edits while the host is gone; says to reopen after a restart', async () => {
    const { page, consoleErrors, pageErrors } = await openStudioPage(studio.context, studio.url);
    const port = Number(new URL(studio.url).port);

    // The token is read, the cookie set, and the address bar no longer shows it.
    await page.locator('[data-dataset="demo"]').waitFor();
    expect(await page.evaluate(() => window.location.search)).toBe('');

    // Opening a scene and a panel puts them in the address; a reload brings both back.
    await page.click('[data-dataset="demo"]');
    await page.locator('[data-scene="scene01"]').click();
    await page.locator('[data-scene-screen="scene01"]').waitFor();
    const sceneHash = await hashOf(page);
    expect(sceneHash).toMatch(/^#\/scene\/\d+$/);
    await page.click('[data-panel-tab="annotate"]');
    expect(await hashOf(page)).toBe(`${sceneHash}?panel=annotate`);
    await expect.poll(() => bars(page), { timeout: 20_000 }).toBeGreaterThan(3);
    const segments = await bars(page);
    await page.reload();
    await page.locator('[data-scene-screen="scene01"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-panel-tab="annotate"]').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => bars(page), { timeout: 20_000 }).toBe(segments);
    await screenshotsAtBothSizes(page, 'durable-reloaded-scene');

    // A tab change is a history entry: Back returns to the scene, Forward to the tab.
    await page.click('[data-tab="training"]');
    await expect.poll(() => hashOf(page)).toMatch(/^#\/training/);
    await page.goBack();
    await page.locator('[data-scene-screen="scene01"]').waitFor();
    expect(await hashOf(page)).toBe(`${sceneHash}?panel=annotate`);
    await page.goForward();
    await expect.poll(() => page.locator('[data-tab="training"]').getAttribute('aria-selected')).toBe('true');

    // A link to a scene opens it in a new tab of the same browser (the cookie authorizes it).
    const linked = await studio.context.newPage();
    await linked.goto(`http://127.0.0.1:${port}/${sceneHash}`);
    await linked.locator('[data-scene-screen="scene01"]').waitFor({ timeout: 20_000 });
    await linked.close();

    // The host goes away: the page says so, refuses an offset change (undone, with the reason) and never calls an
    // annotation edit saved.
    await page.goBack();
    await page.locator('[data-scene-screen="scene01"]').waitFor();
    await expect.poll(() => bars(page), { timeout: 20_000 }).toBe(segments);
    const v2 = await tileOffset(page, 'v2');
    await studio.host!.stop();
    studio.host = undefined;
    await expect.poll(() => page.locator('[data-connection]').getAttribute('data-connection'), { timeout: 20_000 }).not.toBe('open');
    await page.locator('[data-connection-banner]').waitFor();
    await page.click('[data-offset-control="v2"] [data-action="offset-up"]');
    await expect.poll(() => page.locator('[data-error-banner]').innerText()).toMatch(/^Could not save the sync offset \d+ of view v2: not sent/);
    expect(await page.locator('[data-error-banner]').innerText()).not.toMatch(/DisconnectedError|RemoteError/);
    expect(await tileOffset(page, 'v2')).toBe(v2);
    await page.click('[data-error-banner] summary');
    expect(await page.locator('[data-error-detail]').innerText()).toMatch(/^Not connected to the EVGAP host \(DisconnectedError: not sent/);
    await screenshotsAtBothSizes(page, 'durable-offset-refused');
    await page.click('[data-error-banner] [aria-label="Dismiss the error"]');
    await page.keyboard.press('n');
    await page.keyboard.press('Delete');
    expect(await bars(page)).toBe(segments - 1);
    // The editor outlived the scene screen's unmounting (Training and back): its gaps still follow the edits.
    await expect.poll(() => page.locator('[data-gaps]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-save-status]').getAttribute('data-save-status'), { timeout: 10_000 }).toBe('failed');
    expect(await page.locator('[data-save-status]').innerText()).toMatch(/^Not saved: disconnected/);

    // A new host on the same port has a new token: the page stops reconnecting and says to open the new address.
    studio.host = await startHost(studio.dataDir, { port });
    await expect.poll(() => page.locator('[data-connection]').getAttribute('data-connection'), { timeout: 30_000 }).toBe('restarted');
    const banner = await page.locator('[data-connection-banner="restarted"]').innerText();
    expect(banner).toContain('The EVGAP host was restarted');
    expect(banner).toContain('evgap serve');
    expect(await page.locator('[data-save-status]').innerText()).toBe('Not saved: the host was restarted');
    await screenshotsAtBothSizes(page, 'durable-host-restarted');

    // The new address works, and the catalog has neither edit.
    const fresh = await openStudioPage(studio.context, studio.host.url);
    await fresh.page.evaluate((hash) => (window.location.hash = `${hash}?panel=annotate`), sceneHash);
    await fresh.page.locator('[data-scene-screen="scene01"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => bars(fresh.page), { timeout: 20_000 }).toBe(segments);
    expect(await tileOffset(fresh.page, 'v2')).toBe(v2);
    await fresh.page.close();

    // Reconnect attempts fail (by design) while the page reports them; nothing else went wrong.
    expect(consoleErrors.filter((line) => !/WebSocket|401|ERR_CONNECTION_REFUSED|Failed to load resource/.test(line))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
