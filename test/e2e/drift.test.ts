// The drift measurement, end to end in Chromium against the real headless host: the demo scene's 12 videos play on
// the master clock for 12 s (the figures are those of the 10 s after the first two, start-up, seconds, which are
// printed on their own), idle and again with one CPU core kept busy by a spinning child process, while two
// things are recorded: what each view *presents* (every requestVideoFrameCallback: the frame's mediaTime and its
// expectedDisplayTime) and, on every animation frame, each view's currentTime. For every display refresh the frame
// each view has on screen (its last frame whose expected display time has come, sync offset applied) gives the
// presented-frame spread: how many frames apart the views are on screen. currentTime (what the old measurement read)
// can agree to a fraction of a frame while the screen does not: the renderer holds its own frame cadence. Then ±1-frame
// steps while paused must show the same scene frame in all 12 views, read three ways: currentTime, the decoded
// frame's timestamp (requestVideoFrameCallback mediaTime), and a pixel hash of each view's picture when the same
// frame is reached twice. Prints the numbers.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clockFrame, openScene, openStudioPage, screenshotFile, useStudio } from './studioProcesses';

const studio = useStudio('drift');

/** What the page records during playback (see the header). */
interface PlaybackRecord {
  fps: number;
  offsets: number[];
  /** Per view, per presented frame: [mediaTime s, expectedDisplayTime ms]. */
  presented: [number, number][][];
  /** Per animation frame: [timestamp ms, ...each view's currentTime·fps − offset]. */
  refreshes: number[][];
  /** Animation frames on which some view was paused or seeking. */
  stalledSamples: number;
}

/** Plays for `seconds`, recording what every view presents and where its currentTime is. */
function recordPlayback(page: Page, seconds: number): Promise<PlaybackRecord> {
  return page.evaluate(
    (duration) =>
      new Promise<PlaybackRecord>((resolve) => {
        const fps = Number(document.querySelector('.position')!.getAttribute('data-fps'));
        const videos = [...document.querySelectorAll('video')];
        const offsets = videos.map((v) => Number(v.closest('[data-view]')!.getAttribute('data-offset')));
        const presented: [number, number][][] = videos.map(() => []);
        let recording = true;
        videos.forEach((video, i) => {
          const onFrame = (_now: number, metadata: VideoFrameCallbackMetadata) => {
            presented[i]!.push([metadata.mediaTime, metadata.expectedDisplayTime]);
            if (recording) video.requestVideoFrameCallback(onFrame);
          };
          video.requestVideoFrameCallback(onFrame);
        });
        const refreshes: number[][] = [];
        let stalledSamples = 0;
        const start = performance.now();
        const sample = (now: number) => {
          refreshes.push([now, ...videos.map((v, i) => v.currentTime * fps - offsets[i]!)]);
          if (videos.some((v) => v.paused || v.seeking)) stalledSamples++;
          if (performance.now() - start < duration * 1000) requestAnimationFrame(sample);
          else {
            recording = false;
            resolve({ fps, offsets, presented, refreshes, stalledSamples });
          }
        };
        (document.querySelector('[data-action="play-pause"]') as HTMLButtonElement).click();
        requestAnimationFrame(sample);
      }),
    seconds,
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};

interface DriftFigures {
  /** Per refresh: max − min over views of the scene frame on screen. */
  presentedSpreads: number[];
  /** Per refresh: max − min over views of currentTime in frames. */
  currentTimeSpreads: number[];
  /** Per view: median over frames of (when it first showed a frame − when the views' median did), ms. */
  viewLeadMs: number[];
  /** Per view: share of refreshes on which it showed another frame than the views' median. */
  viewOffShare: number[];
  /** Share of refreshes on which some view showed a frame two or more behind the median (a stalled decoder). */
  staleShare: number;
  refreshMs: number;
  stalledSamples: number;
  /** Longest any view's picture stood still (ms between its presented frames): a starved page shows here. */
  longestStillMs: number;
}

/** The figures of one recording (header) over the refreshes from `fromMs` to `toMs` after playing started. */
function driftFigures(record: PlaybackRecord, fromMs: number, toMs: number): DriftFigures {
  const { fps, offsets, presented } = record;
  const started = record.refreshes[0]![0]!;
  const refreshes = record.refreshes.filter(([time]) => time! - started >= fromMs && time! - started < toMs);
  const intervals = refreshes.slice(1).map((r, i) => r[0]! - refreshes[i]![0]!);
  const refreshMs = percentile(intervals, 0.5);
  const onScreen = (view: number, at: number): number | null => {
    let shown: number | null = null;
    for (const [mediaTime, displayTime] of presented[view]!) {
      if (displayTime > at) break;
      shown = Math.round(mediaTime * fps) - offsets[view]!;
    }
    return shown;
  };
  const presentedSpreads: number[] = [];
  const currentTimeSpreads: number[] = [];
  const viewOff = presented.map(() => 0);
  let stale = 0;
  for (const [time, ...positions] of refreshes) {
    // The middle of the refresh interval: what is on screen then, whatever the rounding of display times.
    const shown = presented.map((_, view) => onScreen(view, time! + refreshMs / 2));
    if (shown.some((f) => f === null)) continue;
    const frames = shown as number[];
    presentedSpreads.push(Math.max(...frames) - Math.min(...frames));
    currentTimeSpreads.push(Math.max(...positions) - Math.min(...positions));
    const middle = percentile(frames, 0.5);
    frames.forEach((frame, view) => (viewOff[view]! += frame === middle ? 0 : 1));
    if (frames.some((frame) => frame <= middle - 2)) stale++;
  }
  const firstShown = presented.map((frames, view) => {
    const first = new Map<number, number>();
    for (const [mediaTime, displayTime] of frames) {
      if (displayTime - started < fromMs || displayTime - started >= toMs) continue;
      const frame = Math.round(mediaTime * fps) - offsets[view]!;
      if (!first.has(frame)) first.set(frame, displayTime);
    }
    return first;
  });
  const leads = presented.map(() => [] as number[]);
  for (const frame of firstShown[0]!.keys()) {
    const times = firstShown.map((first) => first.get(frame));
    if (times.some((t) => t === undefined)) continue;
    const middle = percentile(times as number[], 0.5);
    times.forEach((t, view) => leads[view]!.push(t! - middle));
  }
  return {
    presentedSpreads,
    currentTimeSpreads,
    viewLeadMs: leads.map((l) => (l.length > 0 ? percentile(l, 0.5) : NaN)),
    viewOffShare: viewOff.map((n) => n / Math.max(1, presentedSpreads.length)),
    staleShare: stale / Math.max(1, presentedSpreads.length),
    refreshMs,
    stalledSamples: record.stalledSamples,
    longestStillMs: Math.max(
      0,
      ...presented.map((frames) => {
        const times = frames.map(([, displayTime]) => displayTime - started).filter((t) => t >= fromMs && t < toMs);
        return Math.max(0, ...times.slice(1).map((t, i) => t - times[i]!));
      }),
    ),
  };
}

function describeFigures(label: string, figures: DriftFigures): string {
  const { presentedSpreads: spreads, currentTimeSpreads: times } = figures;
  if (spreads.length === 0) return `drift ${label}: no refresh on which every view had a frame on screen`;
  const share = (test: (s: number) => boolean) => `${((100 * spreads.filter(test).length) / Math.max(1, spreads.length)).toFixed(0)} %`;
  return (
    `drift ${label}, 12 views: presented frames over ${spreads.length} refreshes (${figures.refreshMs.toFixed(1)} ms apart): ` +
    `spread median ${percentile(spreads, 0.5)}, p95 ${percentile(spreads, 0.95)}, max ${Math.max(...spreads)}; ` +
    `0: ${share((s) => s === 0)}, 1: ${share((s) => s === 1)}, 2+: ${share((s) => s >= 2)}; ` +
    `currentTime spread in frames median ${percentile(times, 0.5).toFixed(3)}, p95 ${percentile(times, 0.95).toFixed(3)}, ` +
    `max ${Math.max(...times).toFixed(3)}; each view's first display of a frame vs the views' median (ms): ` +
    `${figures.viewLeadMs.map((ms) => ms.toFixed(0)).join(' ')}; each view's share of refreshes off the median view's frame: ` +
    `${figures.viewOffShare.map((x) => `${(100 * x).toFixed(0)} %`).join(' ')}; refreshes with a view 2+ frames behind ` +
    `(a stalled decoder): ${(100 * figures.staleShare).toFixed(0)} %; samples with a paused/seeking view: ${figures.stalledSamples}; ` +
    `longest a view's picture stood still: ${figures.longestStillMs.toFixed(0)} ms`
  );
}

/** Playback measured after its start-up (printed on its own) for this long (ms). */
const STEADY_MS = 10_000;
/**
 * The start-up: the videos getting going. Two seconds, not one: with one core kept busy, Chromium itself is starved for
 * up to about 1.5 s after play (measured: every view's picture stands still for 250–330 ms at a time, all views
 * together, while their currentTime agree to 0.1 frame), which no clock can mend; the figures print how long.
 */
const START_UP_MS = 2000;

/**
 * Opens scene01 two seconds in (every view has frames there whatever its offset) and records 12 s of playback: the
 * figures are those of the 10 s after the start-up, which is printed too. DRIFT_DUMP=PATH writes each recording
 * (PATH-LABEL.json) for a closer look.
 */
async function measureDrift(label: string): Promise<DriftFigures> {
  const { page, pageErrors } = await openStudioPage(studio.context, studio.url);
  await openScene(page, 'scene01', 12);
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(() => clockFrame(page)).toBe(30);
  const record = await recordPlayback(page, (START_UP_MS + STEADY_MS) / 1000);
  const figures = driftFigures(record, START_UP_MS, START_UP_MS + STEADY_MS);
  if (process.env.DRIFT_DUMP) writeFileSync(`${process.env.DRIFT_DUMP}-${label.replace(/\W+/g, '-')}.json`, JSON.stringify(record));
  console.log(describeFigures(`${label}, 10 s after the first ${START_UP_MS / 1000} s`, figures));
  console.log(describeFigures(`${label}, the first ${START_UP_MS / 1000} s (start-up)`, driftFigures(record, 0, START_UP_MS)));
  await page.screenshot({ path: screenshotFile(`drift-playing-${label.replace(/\W+/g, '-')}`) });
  expect(pageErrors).toEqual([]);
  await page.close();
  return figures;
}

/** A child process that keeps one core busy until stopped. */
function busyCore(): { stop(): Promise<void> } {
  const child: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return {
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}

/** The issue's targets for what is on screen: median 0 frames apart, 95th percentile at most 1. */
function expectOnScreenTogether(figures: DriftFigures): void {
  expect(figures.presentedSpreads.length).toBeGreaterThan(100);
  expect(percentile(figures.presentedSpreads, 0.5)).toBe(0);
  expect(percentile(figures.presentedSpreads, 0.95)).toBeLessThanOrEqual(1);
  expect(percentile(figures.currentTimeSpreads, 0.5)).toBeLessThan(1);
  expect(percentile(figures.currentTimeSpreads, 0.95)).toBeLessThan(2);
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
      // Then wait until no view has presented a new frame for 6 display refreshes: what is on screen has settled.
      await new Promise<void>((done) => {
        let quiet = 0;
        let last = mediaTimes.join();
        const watch = () => {
          const now = mediaTimes.join();
          quiet = now === last ? quiet + 1 : 0;
          last = now;
          if (quiet >= 6) done();
          else requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
      });
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

describe('the master clock keeps the demo scene’s 12 videos together', () => {
  it('plays 10 s with the views on the same frame on screen (median 0 frames apart, 95th percentile at most 1)', async () => {
    expectOnScreenTogether(await measureDrift('idle'));
  });

  it('does so with one core kept busy', async () => {
    const busy = busyCore();
    try {
      expectOnScreenTogether(await measureDrift('one core busy'));
    } finally {
      await busy.stop();
    }
  });

  it('steps ±1 frame while paused with all 12 views on the same frame every time', async () => {
    const { page, pageErrors } = await openStudioPage(studio.context, studio.url);
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
