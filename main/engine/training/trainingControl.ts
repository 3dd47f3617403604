// How the caller steers a running training loop: pause, resume and cancel requests that the loop reads between
// optimizer steps (never inside one, so a step is never half applied). A pause holds the loop between steps until
// resume or cancel; a cancel makes the loop write a checkpoint and end the run as 'cancelled'.

export class TrainingControl {
  #paused = false;
  #cancelled = false;
  #held = false;
  #wake: (() => void) | null = null;

  get paused(): boolean {
    return this.#paused && !this.#cancelled;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** The loop is waiting in whilePaused, i.e. held between two steps, until resume or cancel. */
  get held(): boolean {
    return this.#held;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#wakeUp();
  }

  cancel(): void {
    this.#cancelled = true;
    this.#wakeUp();
  }

  /** Resolves once the loop may go on: immediately unless paused, else at resume or cancel. */
  async whilePaused(): Promise<void> {
    try {
      while (this.paused) {
        this.#held = true;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      this.#held = false;
    }
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** Lets pending I/O callbacks (control messages from another thread, signals) run before the next step. */
export function betweenSteps(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
