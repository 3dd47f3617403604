// Progress and cancellation for long imports: a callback told (done, total, what) and an AbortSignal checked
// between units of work. Work that runs synchronously for long (LMDB key scans) yields to the event loop now and
// then through `pace`, so a signal raised by a timer or SIGINT handler is seen while the import runs.
import { ImportCancelledError } from './errors';

export interface ImportProgress {
  done: number;
  total: number;
  what: string;
}

/** What every importer accepts besides its own options. */
export interface ImportControl {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new ImportCancelledError(`import cancelled while ${what}`);
}

/** Milliseconds of synchronous work between two yields to the event loop. */
const YIELD_EVERY_MS = 50;

/** Counts units of work against a known total, reports them, and yields to the event loop now and then. */
export class ProgressCounter {
  #done = 0;
  #lastYield = performance.now();

  constructor(
    readonly total: number,
    readonly control: ImportControl,
  ) {}

  get done(): number {
    return this.#done;
  }

  /** One unit finished: reports it and checks for cancellation. */
  async step(what: string): Promise<void> {
    this.#done++;
    this.control.onProgress?.({ done: this.#done, total: this.total, what });
    await this.pace(what);
  }

  /** Inside a long unit: yields if enough time passed, then checks for cancellation. */
  async pace(what: string): Promise<void> {
    if (performance.now() - this.#lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.#lastYield = performance.now();
    }
    throwIfCancelled(this.control.signal, what);
  }
}
