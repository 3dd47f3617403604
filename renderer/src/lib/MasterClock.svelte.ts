// One clock for all views of a scene: the scene frame runs on requestAnimationFrame + performance.now (not on any
// one video's time), and every registered video follows it — parked half a frame into the exact frame while paused
// or stepping, nudged by playbackRate while playing (see videoSync.ts for why not by seeking).
import { untrack } from 'svelte';
import { clampFrame, correction, nextRate, parkedTime, playbackRates, playingTime } from './videoSync';

interface Follower {
  video: HTMLVideoElement;
  /** Read on every tick, so a changed sync offset applies at once. */
  offsetFrames: () => number;
}

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
    const follower: Follower = { video, offsetFrames };
    this.#followers.add(follower);
    untrack(() => {
      video.playbackRate = this.rate;
      if (this.playing) this.#start(follower);
      else this.#park(follower);
    });
    return () => {
      this.#followers.delete(follower);
    };
  }

  play(): void {
    if (this.playing) return;
    if (this.shownFrame >= this.totalFrames - 1) this.frame = 0;
    this.playing = true;
    this.error = null;
    this.#failed = new WeakSet();
    this.#anchor();
    for (const follower of this.#followers) this.#start(follower);
    this.#tick = requestAnimationFrame(this.#onFrame);
  }

  pause(): void {
    if (!this.playing) return;
    cancelAnimationFrame(this.#tick);
    this.playing = false;
    this.frame = Math.floor(this.#now() + 1e-6);
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
    if (this.playing) {
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
    for (const { video } of this.#followers) video.pause();
    this.#followers.clear();
  }

  #onFrame = (): void => {
    if (!this.playing) return;
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

  #now(): number {
    return this.#anchorFrame + ((performance.now() - this.#anchorWall) / 1000) * this.fps * this.rate;
  }

  #anchor(): void {
    this.#anchorWall = performance.now();
    this.#anchorFrame = this.frame;
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
    this.#seekPlaying(follower);
    if (!this.#inVideo(video, playingTime(this.frame, follower.offsetFrames(), this.fps))) return;
    video.play().catch((error: unknown) => {
      if (!this.playing || (error instanceof DOMException && error.name === 'AbortError')) return;
      this.#failed.add(video);
      const name = video.closest('[data-view]')?.getAttribute('data-view') ?? video.src;
      this.error = `Video ${name} could not start: ${error instanceof Error ? error.message : String(error)}`;
    });
  }

  #seekPlaying({ video, offsetFrames }: Follower): void {
    video.playbackRate = this.rate;
    video.currentTime = this.#withinVideo(video, playingTime(this.frame, offsetFrames(), this.fps));
  }

  #correct(follower: Follower): void {
    const { video } = follower;
    const target = playingTime(this.frame, follower.offsetFrames(), this.fps);
    if (!this.#inVideo(video, target)) {
      // Before this view's first frame or after its last (negative or large sync offsets): hold at the nearest end.
      if (!video.paused) video.pause();
      if (!video.seeking) video.currentTime = this.#withinVideo(video, target);
      return;
    }
    if (video.paused) return this.#failed.has(video) ? undefined : this.#start(follower);
    if (video.seeking || video.readyState < 2) return;
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
