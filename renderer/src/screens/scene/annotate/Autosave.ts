// Saves the latest value some time after the last change (debounced), one save at a time: a change made while a
// save is on its way is saved right after it. The status says what a person needs to know: everything saved,
// a save waiting or running, or the last save failed and why (the next change or retry() tries again).

export type SaveStatus =
  | { state: 'saved' }
  | { state: 'pending' }
  | { state: 'saving' }
  | { state: 'failed'; reason: string };

export interface AutosaveOptions<T> {
  save: (value: T) => Promise<void>;
  /** Quiet time after the last change before saving. */
  delayMs: number;
  onStatus: (status: SaveStatus) => void;
  describeError?: (error: unknown) => string;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class Autosave<T> {
  readonly #options: AutosaveOptions<T>;
  #waiting: { value: T } | null = null;
  #timer: unknown = null;
  #inFlight: Promise<void> | null = null;
  #status: SaveStatus = { state: 'saved' };

  constructor(options: AutosaveOptions<T>) {
    if (!(options.delayMs >= 0)) throw new RangeError(`expected delayMs >= 0, got ${options.delayMs}`);
    this.#options = options;
  }

  get status(): SaveStatus {
    return this.#status;
  }

  /** Whether a change has not reached the catalog yet. */
  get dirty(): boolean {
    return this.#waiting !== null || this.#inFlight !== null || this.#status.state === 'failed';
  }

  /** Notes a change; it is saved after `delayMs` without further changes. */
  schedule(value: T): void {
    this.#waiting = { value };
    this.#setStatus({ state: this.#inFlight ? 'saving' : 'pending' });
    this.#restartTimer();
  }

  /** Saves what is waiting now, and resolves when nothing is left to save (or the save failed). */
  async flush(): Promise<void> {
    this.#stopTimer();
    while (this.#inFlight || this.#waiting) {
      if (this.#inFlight) await this.#inFlight;
      else this.#start();
    }
  }

  /** Tries the failed value again. */
  retry(value: T): Promise<void> {
    this.#waiting = { value };
    return this.flush();
  }

  /** Forgets a waiting change (the value was saved another way, e.g. by an import). */
  cancel(): void {
    this.#stopTimer();
    this.#waiting = null;
    if (!this.#inFlight) this.#setStatus({ state: 'saved' });
  }

  #restartTimer(): void {
    this.#stopTimer();
    const set = this.#options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.#timer = set(() => {
      this.#timer = null;
      if (!this.#inFlight) this.#start();
    }, this.#options.delayMs);
  }

  #stopTimer(): void {
    if (this.#timer === null) return;
    (this.#options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>)))(this.#timer);
    this.#timer = null;
  }

  #start(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = null;
    this.#setStatus({ state: 'saving' });
    this.#inFlight = this.#run(waiting.value);
  }

  async #run(value: T): Promise<void> {
    let failure: string | null = null;
    try {
      await this.#options.save(value);
    } catch (error) {
      failure = (this.#options.describeError ?? String)(error);
    }
    this.#inFlight = null;
    if (failure !== null) {
      // A newer change still goes out after its quiet time; until it succeeds the failure stays visible.
      this.#setStatus({ state: 'failed', reason: failure });
      if (this.#waiting && this.#timer === null) this.#restartTimer();
    } else if (this.#waiting) {
      if (this.#timer === null) this.#start();
      else this.#setStatus({ state: 'pending' });
    } else {
      this.#setStatus({ state: 'saved' });
    }
  }

  #setStatus(status: SaveStatus): void {
    this.#status = status;
    this.#options.onStatus(status);
  }
}
