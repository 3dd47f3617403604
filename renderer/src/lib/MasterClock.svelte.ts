// One clock for all views of a scene: the scene frame runs on requestAnimationFrame + performance.now (not on any
// one video's time), and every registered video follows it — parked half a frame into the exact frame while paused
// or stepping, nudged by playbackRate while playing (see videoSync.ts for why not by seeking). What is on screen is
// watched too (requestVideoFrameCallback): the clock keeps its frame changes on the display refreshes, and a
// video whose frames go on screen a refresh before or after the others' is re-seated (videoSync.ts says why). Playing
// starts from the parked position (no seek), all videos at a crawl until every one moves, then together.
import { untrack } from 'svelte';
import { clampFrame, clockPhaseError, correction, majorityPhase, nextRate, parkedTime, playbackRates, playingTime, presentationTiming } from './videoSync';

interface Follower {
  video: HTMLVideoElement;
  /** Read on every tick, so a changed sync offset applies at once. */
  offsetFrames: () => number;
  /** The pending requestVideoFrameCallback, while playing. */
  frameCallback: number | null;
  /** The clock's position when the view's latest frame went on screen minus that frame (null: none yet). */
  phase: number | null;
  /** Frames in a row the view has shown a refresh before or after the others. */
  offFrames: number;
  /** Frames to present before the view is judged again (after it was re-seated). */
  cooldown: number;
  /** Re-seats since the view last showed its frames on time (each doubles the wait before the next: never a fast loop). */
  reseatsInARow: number;
  /**
   * How far ahead of the clock (frames) the next re-seat aims, beyond the seek's own lead: a re-seat that lands where
   * it should in media time can still go on screen a refresh late (the first frame after a seek is decoded late and
   * the renderer keeps the cadence that starts), so each re-seat in a row adds the phase the view was still off by.
   */
  aimFrames: number;
  /** The currentTime a re-seat set, until the video plays on from it (then where it landed is measured); else null. */
  landing: number | null;
  /** Where the video stood when play() started it (s). */
  startTime: number;
}

/** Display refreshes whose spacing gives the refresh interval (their median). */
const REFRESH_SAMPLES = 15;
/** Assumed refresh interval until measured (ms). */
const DEFAULT_REFRESH_MS = 1000 / 60;
/** Share of the clock's phase error (clockPhaseError) taken out per animation frame. */
const PHASE_LOCK_GAIN = 0.1;
/** Frames in a row a view may show a refresh off the others before it is re-seated. */
const RESEAT_AFTER_FRAMES = 4;
/** Frames in a row a view may stay stalled (further off) before it is re-seated: most stalls end sooner by themselves. */
const RESEAT_AFTER_STALLED_FRAMES = 12;
/** Frames a re-seated view presents before it is judged again (the seek and the catch-up after it). */
const RESEAT_COOLDOWN_FRAMES = 8;
/** How far ahead of the clock a re-seat aims, until learnt from landings (ms): a playing video's seek takes time. */
const DEFAULT_SEEK_LEAD_MS = 40;
/** Longest aim ahead a re-seat may learn (ms). */
const MAX_SEEK_LEAD_MS = 400;
/** Share of a re-seat's landing error taken into the next aim. */
const SEEK_LEAD_GAIN = 0.5;
/**
 * Longest wait between re-seats of a view that stays off (frames; about a second at 15 fps): each re-seat in a row
 * doubles the wait up to this. Measured with one core busy: a re-seat leaves a view on time about half the time (its
 * first frame goes on screen on time, then the renderer's cadence may settle a refresh before or after the clock's,
 * 5 of 9 recorded re-seats on time), and with a 64-frame cap a CI run left two views a refresh off for most of its
 * 10 s.
 */
const MAX_RESEAT_COOLDOWN_FRAMES = 16;
/** Judgements in a row, per view, that must find most views off the clock the same way before the clock moves. */
const MAJORITY_JUDGEMENTS_PER_VIEW = 2;
/** The speed videos start at, so that they all get going before the clock does (Chromium's slowest rate). */
const START_RATE = 0.0625;
/** Longest the clock waits for its videos to get going (ms). */
const START_TIMEOUT_MS = 2000;

export class MasterClock {
  /** Scene frame under the playhead (fractional while playing, whole while paused). */
  frame = $state(0);
  playing = $state(false);
  /** Playback speed, one of `playbackRates`. */
  rate = $state(1);
  /** A video that could not start, in words; null when all did. */
  error = $state<string | null>(null);

  readonly fps: number;
  readonly totalFrames: number;
  readonly rates = playbackRates;

  readonly #followers = new Set<Follower>();
  /** Videos whose play() failed in this playback: not retried on every tick (the error is shown once). */
  #failed = new WeakSet<HTMLVideoElement>();
  #anchorWall = 0;
  #anchorFrame = 0;
  #tick = 0;
  /** Since play(): the clock holds while its videos get going at START_RATE (performance.now of the start), else null. */
  #startedAt: number | null = null;
  /** How far ahead of the clock a re-seat aims (ms), learnt from where re-seated videos land, so they land on it. */
  #seekLeadMs = DEFAULT_SEEK_LEAD_MS;
  /** Judgements in a row that found most views off the clock by #majorityShift (frames). */
  #majorityJudgements = 0;
  #majorityShift = 0;
  /** Recent intervals between animation frames (ms), for the refresh interval. */
  #refreshIntervals: number[] = [];
  #lastTick = 0;

  constructor(fps: number, totalFrames: number) {
    if (!(fps > 0)) throw new RangeError(`expected fps > 0 for the master clock, got ${fps}`);
    if (!(totalFrames >= 1)) throw new RangeError(`expected totalFrames >= 1 for the master clock, got ${totalFrames}`);
    this.fps = fps;
    this.totalFrames = Math.round(totalFrames);
  }

  /** The whole frame shown now. */
  get shownFrame(): number {
    return Math.floor(this.frame + 1e-6);
  }

  /** Makes `video` follow the clock; returns the function that stops it (fits an {@attach}: untracked). */
  follow(video: HTMLVideoElement, offsetFrames: () => number): () => void {
    const follower: Follower = {
      video,
      offsetFrames,
      frameCallback: null,
      phase: null,
      offFrames: 0,
      cooldown: 0,
      reseatsInARow: 0,
      aimFrames: 0,
      landing: null,
      startTime: video.currentTime,
    };
    this.#followers.add(follower);
    untrack(() => {
      video.playbackRate = this.rate;
      if (this.playing) this.#start(follower);
      else this.#park(follower);
    });
    return () => {
      this.#unwatch(follower);
      this.#followers.delete(follower);
    };
  }

  play(): void {
    if (this.playing) return;
    if (this.shownFrame >= this.totalFrames - 1) this.frame = 0;
    // Parked videos stand half a frame into the shown frame: playing starts there, so none has to seek.
    if (Number.isInteger(this.frame)) this.frame += 0.5;
    this.playing = true;
    this.error = null;
    this.#failed = new WeakSet();
    this.#anchor();
    // Every video gets going at a crawl, each after its own start-up delay; the clock starts when all of them move,
    // from where they then are, so no video starts a start-up delay behind the others.
    this.#startedAt = performance.now();
    for (const follower of this.#followers) this.#start(follower);
    this.#tick = requestAnimationFrame(this.#onFrame);
  }

  pause(): void {
    if (!this.playing) return;
    cancelAnimationFrame(this.#tick);
    this.playing = false;
    for (const follower of this.#followers) this.#unwatch(follower);
    this.frame = Math.floor((this.#startedAt === null ? this.#now() : this.frame) + 1e-6);
    this.#startedAt = null;
    this.#parkAll();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Moves the playhead to `frame` (clamped to the scene); playing continues from there. */
  seek(frame: number): void {
    if (!Number.isFinite(frame)) throw new RangeError(`expected a finite frame to seek to, got ${frame}`);
    if (this.playing) {
      this.#startedAt = null;
      this.frame = clampFrame(frame, this.totalFrames);
      this.#anchor();
      for (const follower of this.#followers) this.#seekPlaying(follower);
    } else {
      this.frame = Math.round(clampFrame(frame, this.totalFrames));
      this.#parkAll();
    }
  }

  /** Pauses and moves by `frames` whole frames. */
  step(frames: number): void {
    this.pause();
    this.seek(this.shownFrame + frames);
  }

  setRate(rate: number): void {
    if (!(rate >= playbackRates[0] && rate <= playbackRates[playbackRates.length - 1]!)) {
      throw new RangeError(`expected a playback speed in [${playbackRates[0]}, 2], got ${rate}`);
    }
    if (this.playing && this.#startedAt === null) {
      this.frame = this.#now();
      this.#anchor();
    }
    this.rate = rate;
  }

  /** One offered speed faster (+1) or slower (−1). */
  changeRate(direction: 1 | -1): void {
    this.setRate(nextRate(this.rate, direction));
  }

  /** Re-places every video for the current frame (after a sync offset changed); untracked, so fits an $effect. */
  resync(): void {
    untrack(() => {
      if (this.playing) for (const follower of this.#followers) this.#seekPlaying(follower);
      else this.#parkAll();
    });
  }

  /** Stops the animation loop and the videos (the scene is closing). */
  dispose(): void {
    cancelAnimationFrame(this.#tick);
    this.playing = false;
    for (const follower of this.#followers) {
      this.#unwatch(follower);
      follower.video.pause();
    }
    this.#followers.clear();
  }

  #onFrame = (timestamp: number): void => {
    if (!this.playing) return;
    if (this.#lastTick > 0 && timestamp > this.#lastTick) {
      this.#refreshIntervals.push(timestamp - this.#lastTick);
      if (this.#refreshIntervals.length > REFRESH_SAMPLES) this.#refreshIntervals.shift();
    }
    this.#lastTick = timestamp;
    if (this.#startedAt !== null) {
      if (!this.#allMoving() && performance.now() - this.#startedAt < START_TIMEOUT_MS) {
        this.#tick = requestAnimationFrame(this.#onFrame);
        return;
      }
      this.#go();
    }
    this.#lockPhase(timestamp);
    const frame = this.#now();
    if (frame >= this.totalFrames - 1) {
      this.frame = this.totalFrames - 1;
      this.pause();
      return;
    }
    this.frame = frame;
    for (const follower of this.#followers) this.#correct(follower);
    this.#tick = requestAnimationFrame(this.#onFrame);
  };

  /** Whether every video that can play at the clock's position is playing and has moved from where it started. */
  #allMoving(): boolean {
    for (const follower of this.#followers) {
      const { video } = follower;
      if (this.#failed.has(video) || video.error !== null || !this.#inVideo(video, this.#target(follower))) continue;
      if (video.paused || video.readyState < 3 || video.currentTime <= follower.startTime) return false;
    }
    return true;
  }

  /** Ends the start: the clock takes the videos' median position and runs; the videos take its speed. */
  #go(): void {
    this.#startedAt = null;
    const positions = [...this.#followers]
      .filter(({ video }) => !video.paused)
      .map((f) => f.video.currentTime * this.fps - f.offsetFrames())
      .sort((a, b) => a - b);
    if (positions.length > 0) this.frame = clampFrame(positions[positions.length >> 1]!, this.totalFrames);
    this.#anchor();
    for (const { video } of this.#followers) video.playbackRate = this.rate;
  }

  #now(): number {
    return this.#frameAt(performance.now());
  }

  /** The (fractional) scene frame at time `wall` (performance.now's time base) while playing. */
  #frameAt(wall: number): number {
    return this.#anchorFrame + ((wall - this.#anchorWall) / 1000) * this.fps * this.rate;
  }

  #anchor(): void {
    this.#anchorWall = performance.now();
    this.#anchorFrame = this.frame;
    this.#lastTick = 0;
  }

  /** One display refresh (ms): the median of recent animation-frame intervals. */
  #refreshMs(): number {
    const sorted = [...this.#refreshIntervals].sort((a, b) => a - b);
    return sorted.length > 0 ? sorted[sorted.length >> 1]! : DEFAULT_REFRESH_MS;
  }

  /** One display refresh in scene frames at the current speed. */
  #refreshFrames(): number {
    return (this.#refreshMs() / 1000) * this.fps * this.rate;
  }

  /**
   * Moves the clock a little (a fraction of a refresh at most) so that its frame changes fall on animation frames,
   * which come on the display's refreshes (videoSync.ts clockPhaseError says why).
   */
  #lockPhase(timestamp: number): void {
    if (this.#refreshIntervals.length < REFRESH_SAMPLES / 3) return;
    const error = clockPhaseError(this.#frameAt(timestamp), this.#refreshFrames());
    if (error !== null) this.#anchorWall += PHASE_LOCK_GAIN * error * this.#refreshMs();
  }

  /** Follows what the video presents while playing (videos without requestVideoFrameCallback go without). */
  #watch(follower: Follower): void {
    const { video } = follower;
    if (follower.frameCallback !== null || typeof video.requestVideoFrameCallback !== 'function') return;
    const onPresented = (_now: number, metadata: VideoFrameCallbackMetadata) => {
      follower.frameCallback = null;
      if (!this.playing || !this.#followers.has(follower)) return;
      // A frame presented before the clock's latest anchor (a seek, a speed change) says nothing about now.
      if (this.#startedAt === null && metadata.expectedDisplayTime >= this.#anchorWall && !video.seeking) {
        const phase = this.#frameAt(metadata.expectedDisplayTime) - (Math.round(metadata.mediaTime * this.fps) - follower.offsetFrames());
        if (Math.abs(phase) < 2) this.#judge(follower, phase);
      }
      this.#watch(follower);
    };
    follower.frameCallback = video.requestVideoFrameCallback(onPresented);
  }

  /**
   * Judges a view by when its frames go on screen, against the clock: its frame changes fall on refreshes, so a view on
   * the clock shows each frame from the refresh at its change (phase 0). When most views show their frames a whole
   * refresh off the clock (the renderer's frame cadence, set when playing started, holds them there), the clock moves
   * to them (#followMajority). A view a refresh off the clock for RESEAT_AFTER_FRAMES frames in a row, or further off
   * (stalled) for RESEAT_AFTER_STALLED_FRAMES, is re-seated to it. Not against the other views' median: of two equal
   * groups a refresh apart that picks one at random, and a re-seat to the clock then lands where it was, for ever
   * (measured).
   */
  #judge(follower: Follower, phase: number): void {
    follower.phase = phase;
    // While most views are off the clock the same way, the clock is about to move to them: no view is re-seated.
    if (this.#followMajority() || this.#majorityShift !== 0) return;
    if (follower.cooldown > 0) {
      follower.cooldown--;
      return;
    }
    const timing = presentationTiming(follower.phase, this.#refreshFrames());
    if (timing === 'on-time') {
      follower.offFrames = 0;
      follower.reseatsInARow = 0;
      follower.aimFrames = 0;
      return;
    }
    follower.offFrames++;
    if (follower.offFrames < (timing === 'stalled' ? RESEAT_AFTER_STALLED_FRAMES : RESEAT_AFTER_FRAMES)) return;
    follower.offFrames = 0;
    // After a re-seat that left the view off the same way, the next one aims that much further (a late view, ahead).
    if (follower.reseatsInARow > 0 && timing !== 'stalled') follower.aimFrames = Math.max(-1, Math.min(1, follower.aimFrames + phase));
    follower.cooldown = Math.min(MAX_RESEAT_COOLDOWN_FRAMES, RESEAT_COOLDOWN_FRAMES * 2 ** follower.reseatsInARow);
    follower.reseatsInARow++;
    this.#reseat(follower);
  }

  /**
   * Moves the clock by whole refreshes to where more than half of the views show their frames, when that is not on
   * it (majorityPhase) for MAJORITY_JUDGEMENTS_PER_VIEW judgements of every view in a row; true when it moved (every
   * view is then judged afresh).
   */
  #followMajority(): boolean {
    const phases = [...this.#followers].flatMap((f) => (f.phase === null ? [] : [f.phase]));
    if (phases.length < this.#followers.size) {
      // Not every view judged yet (after a start or a move): no majority is known, so none holds re-seats back.
      this.#majorityShift = 0;
      return false;
    }
    const shift = majorityPhase(phases, this.#refreshFrames());
    this.#majorityJudgements = shift !== 0 && Math.abs(shift - this.#majorityShift) < 1e-6 ? this.#majorityJudgements + 1 : 1;
    this.#majorityShift = shift;
    if (shift === 0 || this.#majorityJudgements < MAJORITY_JUDGEMENTS_PER_VIEW * this.#followers.size) return false;
    this.#majorityJudgements = 0;
    this.#anchorFrame -= shift;
    this.frame -= shift;
    for (const follower of this.#followers) {
      follower.phase = null;
      follower.offFrames = 0;
    }
    return true;
  }

  /** Seeks a playing video to where the clock will be once it plays on (#seekLeadMs ahead); #land measures it. */
  #reseat(follower: Follower): void {
    const { video } = follower;
    const aim = this.#target(follower) + (this.#seekLeadMs / 1000) * this.rate + follower.aimFrames / this.fps;
    video.currentTime = this.#withinVideo(video, aim);
    follower.landing = video.currentTime;
  }

  /** Once a re-seated video plays on, how far from the clock it landed corrects the aim of the next re-seat. */
  #land(follower: Follower, target: number): void {
    const { video } = follower;
    if (follower.landing === null || video.seeking || video.currentTime <= follower.landing + 1e-3) return;
    follower.landing = null;
    const errorMs = ((video.currentTime - target - follower.aimFrames / this.fps) * 1000) / this.rate;
    this.#seekLeadMs = Math.max(0, Math.min(MAX_SEEK_LEAD_MS, this.#seekLeadMs - SEEK_LEAD_GAIN * errorMs));
  }

  /** A view moved or stopped on purpose: what its re-seats learnt about it no longer applies. */
  #forgetReseats(follower: Follower): void {
    follower.reseatsInARow = 0;
    follower.aimFrames = 0;
    follower.landing = null;
  }

  #unwatch(follower: Follower): void {
    follower.phase = null;
    follower.offFrames = 0;
    this.#forgetReseats(follower);
    if (follower.frameCallback === null) return;
    follower.video.cancelVideoFrameCallback(follower.frameCallback);
    follower.frameCallback = null;
  }

  #parkAll(): void {
    for (const follower of this.#followers) this.#park(follower);
  }

  /** Paused: the exact frame, half a frame in; a video with nothing at that time waits at its nearest end. */
  #park({ video, offsetFrames }: Follower): void {
    video.pause();
    video.currentTime = this.#withinVideo(video, parkedTime(this.frame, offsetFrames(), this.fps));
  }

  #start(follower: Follower): void {
    const { video } = follower;
    const target = this.#withinVideo(video, this.#target(follower));
    // Setting currentTime always seeks, even to where the video stands; a parked video is already there.
    if (Math.abs(video.currentTime - target) > 1e-3) this.#seekPlaying(follower);
    video.playbackRate = this.#startedAt === null ? this.rate : START_RATE;
    follower.startTime = video.currentTime;
    if (!this.#inVideo(video, this.#target(follower))) return;
    this.#watch(follower);
    video.play().catch((error: unknown) => {
      if (!this.playing || (error instanceof DOMException && error.name === 'AbortError')) return;
      this.#failed.add(video);
      const name = video.closest('[data-view]')?.getAttribute('data-view') ?? video.src;
      this.error = `Video ${name} could not start: ${error instanceof Error ? error.message : String(error)}`;
    });
  }

  #seekPlaying(follower: Follower): void {
    this.#forgetReseats(follower);
    follower.video.playbackRate = this.rate;
    follower.video.currentTime = this.#withinVideo(follower.video, this.#target(follower));
  }

  /** Where a playing view's video should be now: the clock's frame at its offset. */
  #target(follower: Follower): number {
    return playingTime(this.frame, follower.offsetFrames(), this.fps);
  }

  #correct(follower: Follower): void {
    const { video } = follower;
    if (this.#startedAt !== null) return;
    const target = this.#target(follower);
    if (!this.#inVideo(video, target)) {
      // Before this view's first frame or after its last (negative or large sync offsets): hold at the nearest end.
      if (!video.paused) video.pause();
      if (!video.seeking) video.currentTime = this.#withinVideo(video, target);
      return;
    }
    if (video.paused) return this.#failed.has(video) ? undefined : this.#start(follower);
    if (video.seeking || video.readyState < 2) return;
    this.#land(follower, target);
    const fix = correction(video.currentTime, target, this.rate);
    if (fix.kind === 'seek') video.currentTime = fix.currentTime;
    else video.playbackRate = fix.playbackRate;
  }

  #inVideo(video: HTMLVideoElement, time: number): boolean {
    return time >= 0 && !(Number.isFinite(video.duration) && time >= video.duration);
  }

  #withinVideo(video: HTMLVideoElement, time: number): number {
    const end = Number.isFinite(video.duration) ? video.duration - 0.5 / this.fps : Infinity;
    return Math.max(0, Math.min(end, time));
  }
}

