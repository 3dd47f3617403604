// Plays a scene's videos together: one play/pause for all, and a shared start. The first play after loading (or
// after all videos ended, or a restart) seeks every video to the same scene time, mapped through each view's sync
// offset (view frame = scene frame + offset), then starts them all at once.

export interface ViewSync {
  /** Frames to add to a scene frame to get this view's frame. */
  offsetFrames: number;
  /** Frame rate of the view's video, to turn frames into seconds. */
  fps: number;
}

export class PlaybackGroup {
  playing = $state(false);
  error = $state<string | null>(null);

  readonly #members = new Map<HTMLVideoElement, ViewSync>();
  /** Whether the videos are already positioned at the shared start (or past it). */
  #started = false;

  /** Adds a video to the group; returns the function that removes it (fits an {@attach}). */
  register(video: HTMLVideoElement, sync: ViewSync): () => void {
    this.#members.set(video, sync);
    const onEnded = () => {
      if ([...this.#members.keys()].every((member) => member.ended)) {
        this.playing = false;
        this.#started = false;
      }
    };
    video.addEventListener('ended', onEnded);
    return () => {
      video.removeEventListener('ended', onEnded);
      this.#members.delete(video);
    };
  }

  get size(): number {
    return this.#members.size;
  }

  async toggle(): Promise<void> {
    if (this.playing) this.pause();
    else await this.play();
  }

  async play(): Promise<void> {
    if (!this.#started) this.#seekAll(0);
    this.#started = true;
    this.playing = true;
    this.error = null;
    const results = await Promise.allSettled([...this.#members.keys()].map((video) => video.play()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      const reason = failures[0]!.reason as unknown;
      const detail = reason instanceof Error ? reason.message : String(reason);
      this.error = `${failures.length} of ${results.length} videos could not start: ${detail}`;
    }
  }

  pause(): void {
    for (const video of this.#members.keys()) video.pause();
    this.playing = false;
  }

  /** Pauses everything and puts every video back at the shared start. */
  restart(): void {
    this.pause();
    this.#seekAll(0);
    this.#started = true;
  }

  #seekAll(sceneFrame: number): void {
    for (const [video, sync] of this.#members) {
      video.currentTime = Math.max(0, (sceneFrame + sync.offsetFrames) / sync.fps);
    }
  }
}
