// The drift measurement, end to end in Chromium against the real headless host: the demo scene's 12 videos play on
// the master clock for 10 s while the spread of their positions (currentTime in frames minus each view's sync
// offset) is sampled on every animation frame; then ±1-frame steps while paused must show the same scene frame in
// all 12 views, read three ways: currentTime, the decoded frame's timestamp (requestVideoFrameCallback mediaTime),
// and a pixel hash of each view's picture when the same frame is reached twice. Prints the numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, clockFrame, createDemoData, launchChromium, openScene, openStudioPage, screenshotFile, startHost, type RunningHost } from './studioProcesses';

let work: string;
let context: BrowserContext;
let host: RunningHost | undefined;

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'evgap-drift-'));
  const dataDir = join(work, 'demo-data');
  await createDemoData(dataDir);
  host = await startHost(dataDir);
  context = await launchChromium(join(work, 'profile'));
});

afterAll(async () => {
  await context?.close();
  await host?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Plays for `seconds` and returns, per animation frame, the spread (max − min) of the views' positions in frames. */
function sampleSpread(page: Page, seconds: number): Promise<{ spreads: number[]; stalledSamples: number }> {
  return page.evaluate(
    (duration) =>
      new Promise<{ spreads: number[]; stalledSamples: number }>((resolve) => {
        const fps = Number(document.querySelector('.position')!.getAttribute('data-fps'));
        const videos = [...document.querySelectorAll('video')];
        const offsets = videos.map((v) => Number(v.closest('[data-view]')!.getAttribute('data-offset')));
        const spreads: number[] = [];
        let stalledSamples = 0;
        const start = performance.now();
        const sample = () => {
          const positions = videos.map((v, i) => v.currentTime * fps - offsets[i]!);
          if (videos.some((v) => v.paused || v.seeking)) stalledSamples++;
          spreads.push(Math.max(...positions) - Math.min(...positions));
          if (performance.now() - start < duration * 1000) requestAnimationFrame(sample);
          else resolve({ spreads, stalledSamples });
        };
        (document.querySelector('[data-action="play-pause"]') as HTMLButtonElement).click();
        requestAnimationFrame(sample);
      }),
    seconds,
  );
}

interface StepReading {
  /** Scene frame each view shows by currentTime: floor(currentTime·fps) − offset. */
  byTime: number[];
  /** Scene frame of each view's presented frame by its timestamp (requestVideoFrameCallback), null if none came. */
  byDecodedFrame: (number | null)[];
  /** FNV-1a hash of each view's picture drawn to a canvas. */
  pixelHashes: string[];
}

/** Presses `key` (a step while paused) and reads which frame every view then shows. */
function stepAndRead(page: Page, key: string): Promise<StepReading> {
  return page.evaluate(
    async (pressed) => {
      const fps = Number(document.querySelector('.position')!.getAttribute('data-fps'));
      const videos = [...document.querySelectorAll('video')];
      // Follow every frame each view presents after the key (a late repaint of the previous frame can come first),
      // and keep the last one once all views have settled: that is what stays on screen.
      const mediaTimes: (number | null)[] = videos.map(() => null);
      let following = true;
      videos.forEach((v, i) => {
        const follow = () =>
          v.requestVideoFrameCallback((_now, metadata) => {
            mediaTimes[i] = metadata.mediaTime;
            if (following) follow();
          });
        follow();
      });
      window.dispatchEvent(new KeyboardEvent('keydown', { key: pressed, bubbles: true, cancelable: true }));
      const started = performance.now();
      await new Promise<void>((done) => {
        const settled = () =>
          (videos.every((v) => !v.seeking && v.readyState >= 2) && mediaTimes.every((t) => t !== null)) || performance.now() - started > 1500
            ? done()
            : requestAnimationFrame(settled);
        settled();
      });
      await new Promise((done) => setTimeout(done, 150));
      following = false;
      const offsets = videos.map((v) => Number(v.closest('[data-view]')!.getAttribute('data-offset')));
      const canvas = document.createElement('canvas');
      const hash = (video: HTMLVideoElement) => {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
        ctx.drawImage(video, 0, 0);
        let h = 0x811c9dc5;
        for (const byte of ctx.getImageData(0, 0, canvas.width, canvas.height).data) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
        return h.toString(16);
      };
      return {
        byTime: videos.map((v, i) => Math.floor(v.currentTime * fps + 1e-6) - offsets[i]!),
        // A frame's timestamp is k/fps to the container's millisecond, so it rounds to k.
        byDecodedFrame: mediaTimes.map((t, i) => (t === null ? null : Math.round(t * fps) - offsets[i]!)),
        pixelHashes: videos.map(hash),
      };
    },
    key,
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};

describe('the master clock keeps the demo scene’s 12 videos together', () => {
  it('plays 10 s with the views under one frame apart (median) and under two (95th percentile)', async () => {
    const { page, pageErrors } = await openStudioPage(context, host!.url);
    await openScene(page, 'scene01', 12);
    // Start 2 s in, where every view has frames whatever its offset (demo offsets are at most ±8 frames).
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => clockFrame(page)).toBe(30);

    const { spreads, stalledSamples } = await sampleSpread(page, 10);
    const median = percentile(spreads, 0.5);
    const p95 = percentile(spreads, 0.95);
    const max = Math.max(...spreads);
    console.log(
      `drift over 10 s of playback, 12 views: ${spreads.length} samples (every animation frame), spread in frames ` +
        `median ${median.toFixed(3)}, p95 ${p95.toFixed(3)}, max ${max.toFixed(3)}; samples with a paused/seeking view: ${stalledSamples}`,
    );
    await page.screenshot({ path: screenshotFile('drift-playing') });
    expect(spreads.length).toBeGreaterThan(100);
    expect(median).toBeLessThan(1);
    expect(p95).toBeLessThan(2);
    expect(pageErrors).toEqual([]);
  });

  it('steps ±1 frame while paused with all 12 views on the same frame every time', async () => {
    const { page, pageErrors } = await openStudioPage(context, host!.url);
    await openScene(page, 'scene01', 12);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => clockFrame(page)).toBe(15);

    const keys = [...Array(12).fill('ArrowRight'), ...Array(6).fill('ArrowLeft'), ...Array(6).fill('ArrowRight')] as string[];
    const hashesAt = new Map<number, string[]>();
    let decodedChecks = 0;
    let hashRepeats = 0;
    for (const key of keys) {
      const reading = await stepAndRead(page, key);
      const frame = await clockFrame(page);
      expect(reading.byTime, `views by currentTime after ${key} to frame ${frame}`).toEqual(Array(12).fill(frame));
      for (const [view, decoded] of reading.byDecodedFrame.entries()) {
        if (decoded === null) continue;
        expect(decoded, `decoded frame of view ${view + 1} at frame ${frame}`).toBe(frame);
        decodedChecks++;
      }
      const earlier = hashesAt.get(frame);
      if (earlier) {
        expect(reading.pixelHashes, `pictures at frame ${frame}, reached again`).toEqual(earlier);
        hashRepeats++;
      } else hashesAt.set(frame, reading.pixelHashes);
    }
    const distinct = new Set([...hashesAt.values()].map((hashes) => hashes.join())).size;
    console.log(
      `stepping: ${keys.length} steps of ±1 frame, 12 views each: all on the clock's frame by currentTime every time; ` +
        `${decodedChecks} decoded-frame timestamps checked (all equal); ${hashRepeats} frames reached twice with identical ` +
        `pictures in all 12 views; ${distinct} distinct pictures over ${hashesAt.size} frames`,
    );
    expect(decodedChecks).toBeGreaterThan(keys.length * 6);
    expect(hashRepeats).toBe(12);
    expect(distinct).toBe(hashesAt.size);
    await page.screenshot({ path: screenshotFile('drift-stepped') });
    expect(pageErrors).toEqual([]);
  });
});
