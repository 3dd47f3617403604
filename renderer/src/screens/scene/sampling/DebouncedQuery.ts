// Asks the main side again some time after the last change (debounced) and keeps only the answer to the latest
// question: an answer that arrives after a newer question was asked is dropped, so slow replies never overwrite
// fresh ones.

export interface DebouncedQueryOptions<A, R> {
  query: (args: A) => Promise<R>;
  delayMs: number;
  onAnswer: (answer: R, args: A) => void;
  onError: (error: unknown, args: A) => void;
  /** Whether a question is waiting or on its way (for a "counting…" hint). */
  onBusy?: (busy: boolean) => void;
}

export class DebouncedQuery<A, R> {
  readonly #options: DebouncedQueryOptions<A, R>;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #asked = 0;

  constructor(options: DebouncedQueryOptions<A, R>) {
    if (!(options.delayMs >= 0)) throw new RangeError(`expected delayMs >= 0, got ${options.delayMs}`);
    this.#options = options;
  }

  /** Asks `args` after the quiet time, replacing any question still waiting. */
  ask(args: A): void {
    this.cancel();
    this.#options.onBusy?.(true);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#send(args);
    }, this.#options.delayMs);
  }

  /** Forgets the waiting question and any answer still on its way. */
  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#asked++;
    this.#options.onBusy?.(false);
  }

  async #send(args: A): Promise<void> {
    const question = ++this.#asked;
    try {
      const answer = await this.#options.query(args);
      if (question === this.#asked) this.#options.onAnswer(answer, args);
    } catch (error) {
      if (question === this.#asked) this.#options.onError(error, args);
    } finally {
      if (question === this.#asked) this.#options.onBusy?.(false);
    }
  }
}
