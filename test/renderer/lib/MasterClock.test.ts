// The master clock (renderer/src/lib/MasterClock.svelte.ts) on fake timers (animation frames and performance.now)
// with stand-in videos: paused views are parked half a frame into the exact frame at their sync offsets (clamped to
// the video where an offset leaves nothing to show); seek and step move by whole frames and stop at the scene's ends;
// playing waits for every video to get going and then runs from where they are, at the chosen speed; the clock stops
// itself on the last frame; a video that cannot start is named; a stopped follower is left alone; a view whose
// frames go on screen a refresh after the clock's is re-seated, and when most views do, the clock moves to them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MasterClock } from '../../../renderer/src/lib/MasterClock.svelte';
import { parkedTime, playbackRates } from '../../../renderer/src/lib/videoSync';

const FPS = 30;
const TOTAL_FRAMES = 300;
/** The speed videos get going at before the clock starts (MasterClock's START_RATE). */
const START_RATE = 0.0625;

/** What MasterClock uses of a video element; it does not move by itself (a test moves currentTime). */
class StandInVideo {
  currentTime = 0;
  playbackRate = 1;
  paused = true;
  readyState = 4;
  seeking = false;
  error: MediaError | null = null;
  src: string;
  playCalls = 0;
  /** Set to make play() fail. */
  playFailure: Error | null = null;

  constructor(
    name: string,
    readonly duration = TOTAL_FRAMES / FPS,
  ) {
    this.src = `${name}.mp4`;
  }

  play(): Promise<void> {
    this.playCalls++;
    if (this.playFailure !== null) return Promise.reject(this.playFailure);
    this.paused = false;
    return Promise.resolve();
  }

  pause(): void {
    this.paused = true;
  }

  closest(): Element | null {
    return null;
  }

  addEventListener(): void {}

  /** The pending requestVideoFrameCallback (a test calls present() to answer it). */
  #frameCallback: VideoFrameRequestCallback | null = null;

  requestVideoFrameCallback(callback: VideoFrameRequestCallback): number {
    this.#frameCallback = callback;
    return 1;
  }

  cancelVideoFrameCallback(): void {
    this.#frameCallback = null;
  }

  /** Reports that video frame `frame` goes on screen at `expectedDisplayTime` (performance.now's time base). */
  present(frame: number, expectedDisplayTime: number): void {
    const callback = this.#frameCallback;
    if (callback === null) throw new Error(`${this.src}: no frame callback pending`);
    this.#frameCallback = null;
    callback(expectedDisplayTime, { mediaTime: frame / FPS, expectedDisplayTime } as VideoFrameCallbackMetadata);
  }
}

const asVideo = (video: StandInVideo) => video as unknown as HTMLVideoElement;

/** The frame a paused view shows (currentTime is half a frame into it). */
const shownVideoFrame = (video: StandInVideo) => Math.floor(video.currentTime * FPS);

beforeEach(() => {
  // Node has no animation frames: placeholders the fake timers then replace with their own.
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
  vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'performance', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('MasterClock', () => {
  it('refuses a frame rate or length it cannot count in', () => {
    expect(() => new MasterClock(0, TOTAL_FRAMES)).toThrow(RangeError);
    expect(() => new MasterClock(FPS, 0)).toThrow(RangeError);
    expect(new MasterClock(FPS, 299.6).totalFrames).toBe(300);
  });

  it('parks each view half a frame into the scene frame at its own sync offset', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const ego = new StandInVideo('ego');
    const exo = new StandInVideo('exo');
    clock.follow(asVideo(ego), () => 0);
    clock.follow(asVideo(exo), () => 7);
    clock.seek(42);
    expect(clock.frame).toBe(42);
    expect(ego.currentTime).toBeCloseTo(parkedTime(42, 0, FPS), 12);
    expect(exo.currentTime).toBeCloseTo(parkedTime(42, 7, FPS), 12);
    expect([shownVideoFrame(ego), shownVideoFrame(exo)]).toEqual([42, 49]);
    expect(ego.paused && exo.paused).toBe(true);
  });

  it('holds a view whose offset leaves nothing at the scene frame at its nearest end', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const early = new StandInVideo('early');
    const late = new StandInVideo('late');
    clock.follow(asVideo(early), () => -60);
    clock.follow(asVideo(late), () => 100);
    clock.seek(20);
    expect(early.currentTime).toBe(0);
    clock.seek(250);
    expect(late.currentTime).toBeCloseTo(late.duration - 0.5 / FPS, 12);
    expect(shownVideoFrame(late)).toBe(TOTAL_FRAMES - 1);
  });

  it('reads the offset again on resync, so a changed offset applies at once', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const exo = new StandInVideo('exo');
    let offset = 0;
    clock.follow(asVideo(exo), () => offset);
    clock.seek(10);
    offset = -4;
    clock.resync();
    expect(shownVideoFrame(exo)).toBe(6);
  });

  it('seeks to whole frames, clamped to the scene', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    clock.seek(12.6);
    expect(clock.frame).toBe(13);
    clock.seek(-5);
    expect(clock.frame).toBe(0);
    clock.seek(10_000);
    expect(clock.frame).toBe(TOTAL_FRAMES - 1);
    expect(() => clock.seek(Number.NaN)).toThrow(RangeError);
    expect(clock.frame).toBe(TOTAL_FRAMES - 1);
  });

  it('steps by whole frames and stops at the first and last frame', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const video = new StandInVideo('ego');
    clock.follow(asVideo(video), () => 0);
    clock.step(1);
    clock.step(1);
    expect(clock.frame).toBe(2);
    expect(shownVideoFrame(video)).toBe(2);
    clock.step(-1);
    expect(clock.frame).toBe(1);
    clock.step(-10);
    expect(clock.frame).toBe(0);
    clock.seek(TOTAL_FRAMES - 2);
    clock.step(5);
    expect(clock.frame).toBe(TOTAL_FRAMES - 1);
    expect(shownVideoFrame(video)).toBe(TOTAL_FRAMES - 1);
  });

  it('plays at the chosen speed and pauses on a whole frame', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    clock.seek(10);
    clock.play();
    expect(clock.playing).toBe(true);
    expect(clock.frame).toBe(10.5);
    vi.advanceTimersByTime(1000);
    // One second at 30 fps, give or take the animation frame the clock started on and its phase lock.
    expect(clock.frame).toBeGreaterThan(10.5 + FPS - 2);
    expect(clock.frame).toBeLessThan(10.5 + FPS + 1);
    expect(clock.shownFrame).toBe(Math.floor(clock.frame));
    clock.pause();
    expect(clock.playing).toBe(false);
    expect(Number.isInteger(clock.frame)).toBe(true);
    const pausedAt = clock.frame;
    vi.advanceTimersByTime(1000);
    expect(clock.frame).toBe(pausedAt);
  });

  it('runs twice as fast at speed 2, from where the speed changed', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    clock.play();
    vi.advanceTimersByTime(500);
    const before = clock.frame;
    clock.setRate(2);
    expect(clock.rate).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(clock.frame - before).toBeGreaterThan(2 * FPS - 3);
    expect(clock.frame - before).toBeLessThan(2 * FPS + 3);
  });

  it('offers only its speeds, one step at a time, staying at the ends', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    expect(() => clock.setRate(0.1)).toThrow(RangeError);
    expect(() => clock.setRate(3)).toThrow(RangeError);
    expect(clock.rate).toBe(1);
    clock.changeRate(1);
    expect(clock.rate).toBe(1.25);
    for (let i = 0; i < playbackRates.length; i++) clock.changeRate(1);
    expect(clock.rate).toBe(playbackRates[playbackRates.length - 1]);
    for (let i = 0; i < playbackRates.length + 1; i++) clock.changeRate(-1);
    expect(clock.rate).toBe(playbackRates[0]);
  });

  it('stops on the last frame, and plays from the start when asked to play there', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    clock.seek(TOTAL_FRAMES - 10);
    clock.play();
    vi.advanceTimersByTime(1000);
    expect(clock.playing).toBe(false);
    expect(clock.frame).toBe(TOTAL_FRAMES - 1);
    clock.toggle();
    expect(clock.playing).toBe(true);
    expect(clock.frame).toBe(0.5);
    clock.toggle();
    expect(clock.playing).toBe(false);
  });

  it('holds until every video moves, then runs from where they are at the clock speed', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const ego = new StandInVideo('ego');
    const exo = new StandInVideo('exo');
    clock.follow(asVideo(ego), () => 0);
    clock.follow(asVideo(exo), () => 5);
    clock.seek(10);
    clock.play();
    // Both start from where they were parked (no seek), at a crawl.
    expect([ego.playCalls, exo.playCalls]).toEqual([1, 1]);
    expect(ego.currentTime).toBeCloseTo(parkedTime(10, 0, FPS), 12);
    expect([ego.playbackRate, exo.playbackRate]).toEqual([START_RATE, START_RATE]);
    vi.advanceTimersByTime(200);
    expect(clock.frame).toBe(10.5);
    // Only the ego view has moved: the clock still holds.
    ego.currentTime = 11 / FPS;
    vi.advanceTimersByTime(100);
    expect(clock.frame).toBe(10.5);
    // Both moved (the exo view is 5 frames ahead by its offset): the clock takes their median scene position.
    exo.currentTime = (11.5 + 5) / FPS;
    vi.advanceTimersByTime(17);
    expect(clock.frame).toBeGreaterThanOrEqual(11.5);
    expect(clock.frame).toBeLessThan(12);
    expect(ego.playbackRate).toBeGreaterThan(0.85);
    expect(exo.playbackRate).toBeGreaterThan(0.85);
  });

  describe('what is on screen', () => {
    /** Plays `count` views at offset 0 from frame 10 and lets the clock run (each video kept on it) for 100 ms. */
    function playing(count: number) {
      const clock = new MasterClock(FPS, TOTAL_FRAMES);
      const videos = Array.from({ length: count }, (_, i) => new StandInVideo(`v${i}`));
      for (const video of videos) clock.follow(asVideo(video), () => 0);
      clock.seek(10);
      clock.play();
      for (const video of videos) video.currentTime = 11 / FPS;
      vi.advanceTimersByTime(17);
      run(clock, videos, 100);
      return { clock, videos };
    }

    /** Advances `ms` an animation frame at a time, each playing video following the clock exactly (a perfect video). */
    function run(clock: MasterClock, videos: StandInVideo[], ms: number): void {
      for (let t = 0; t < ms; t += 16) {
        vi.advanceTimersByTime(16);
        for (const video of videos) if (!video.seeking) video.currentTime = clock.frame / FPS;
      }
    }

    /**
     * Each video presents its next frame `refreshesLate[i]` display refreshes (half a frame at 30 fps on 60 Hz) after
     * the clock's change to it; returns where each video's currentTime was set by the clock right after (a re-seat).
     */
    function presentNext(clock: MasterClock, videos: StandInVideo[], refreshesLate: number[]): number[] {
      const frame = Math.ceil(clock.frame);
      const msPerFrame = 1000 / FPS;
      const changeAt = performance.now() + (frame - clock.frame) * msPerFrame;
      videos.forEach((video, i) => video.present(frame, changeAt + refreshesLate[i]! * (msPerFrame / 2)));
      return videos.map((video) => video.currentTime);
    }

    it('re-seats a view whose frames go on screen a refresh after the clock’s, and leaves the others', () => {
      const { clock, videos } = playing(3);
      let timesBefore = videos.map((v) => v.currentTime);
      for (let n = 1; n <= 4; n++) {
        timesBefore = videos.map((v) => v.currentTime);
        const after = presentNext(clock, videos, [0, 0, 1]);
        if (n < 4) expect(after, `presentation ${n}`).toEqual(timesBefore);
        else {
          // The fourth late frame in a row: the late view is seeked ahead of the clock (by the seek's lead).
          expect(after.slice(0, 2)).toEqual(timesBefore.slice(0, 2));
          expect(after[2]!).toBeGreaterThan(clock.frame / FPS);
        }
        run(clock, videos.slice(0, 2), 66);
      }
    });

    it('keeps re-seating a view that stays late, each wait doubling up to about a second (16 frames), never longer', () => {
      const { clock, videos } = playing(3);
      const reseatsAt: number[] = [];
      for (let n = 1; n <= 80; n++) {
        const timesBefore = videos.map((v) => v.currentTime);
        const after = presentNext(clock, videos, [0, 0, 1]);
        expect(after.slice(0, 2)).toEqual(timesBefore.slice(0, 2));
        if (after[2] !== timesBefore[2]) reseatsAt.push(n);
        run(clock, videos, 66);
      }
      const waits = reseatsAt.slice(1).map((n, i) => n - reseatsAt[i]!);
      // Four late frames, then a re-seat; after it 8, 16, then at most 16 frames of waiting plus the four late ones.
      expect(reseatsAt[0]).toBe(4);
      expect(waits.slice(0, 2)).toEqual([12, 20]);
      expect(Math.max(...waits)).toBe(20);
      expect(reseatsAt).toEqual([4, 16, 36, 56, 76]);
    });

    it('moves itself to the views when most of them show their frames a refresh off it, re-seating none', () => {
      const { clock, videos } = playing(3);
      const seeks: number[] = [];
      let shifted = false;
      for (let n = 0; n < 3 && !shifted; n++) {
        const before = clock.frame;
        const timesBefore = videos.map((v) => v.currentTime);
        const after = presentNext(clock, videos, [1, 1, 0]);
        seeks.push(after.filter((t, i) => t !== timesBefore[i]).length);
        // Half a frame back (one refresh of 60 Hz at 30 fps): where two of the three views show their frames.
        if (clock.frame < before - 0.4) {
          expect(clock.frame).toBeCloseTo(before - 0.5, 1);
          shifted = true;
        }
        run(clock, videos, 66);
      }
      expect(shifted).toBe(true);
      expect(seeks.every((count) => count === 0)).toBe(true);
    });
  });

  it('starts without a video that does not get going within the start timeout', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const stuck = new StandInVideo('stuck');
    clock.follow(asVideo(stuck), () => 0);
    clock.play();
    vi.advanceTimersByTime(1000);
    expect(clock.frame).toBe(0.5);
    vi.advanceTimersByTime(1500);
    expect(clock.frame).toBeGreaterThan(1);
  });

  it('names a video that cannot start and keeps the clock going', async () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const broken = new StandInVideo('broken');
    broken.playFailure = new Error('no decoder');
    clock.follow(asVideo(broken), () => 0);
    clock.play();
    await vi.advanceTimersByTimeAsync(0);
    expect(clock.error).toBe('Video broken.mp4 could not start: no decoder');
    expect(clock.playing).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(broken.playCalls).toBe(1);
    clock.pause();
    clock.play();
    expect(clock.error).toBeNull();
  });

  it('leaves a video alone once its follower is stopped, and stops every video on dispose', () => {
    const clock = new MasterClock(FPS, TOTAL_FRAMES);
    const kept = new StandInVideo('kept');
    const dropped = new StandInVideo('dropped');
    clock.follow(asVideo(kept), () => 0);
    const stop = clock.follow(asVideo(dropped), () => 0);
    stop();
    clock.seek(30);
    expect(shownVideoFrame(kept)).toBe(30);
    expect(shownVideoFrame(dropped)).toBe(0);
    clock.play();
    expect(dropped.playCalls).toBe(0);
    clock.dispose();
    expect(clock.playing).toBe(false);
    expect(kept.paused).toBe(true);
    const frame = clock.frame;
    vi.advanceTimersByTime(1000);
    expect(clock.frame).toBe(frame);
  });
});
