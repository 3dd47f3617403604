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

/** Throws when the import was stopped: "import cancelled while <what>" (or "after <what>", for a finished unit). */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string, when: 'while' | 'after' = 'while'): void {
  if (signal?.aborted) throw new ImportCancelledError(`import cancelled ${when} ${what}`);
}

/**
 * Lets a stop request that arrived during synchronous work (a signal handler, a Cancel button) run, then checks
 * for it: the last step before anything is written.
 */
export async function settleCancellation(signal: AbortSignal | undefined, what: string): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfCancelled(signal, what);
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
    await this.pace(what, 'after');
  }

  /** Inside a long unit: yields if enough time passed, then checks for cancellation. */
  async pace(what: string, when: 'while' | 'after' = 'while'): Promise<void> {
    if (performance.now() - this.#lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.#lastYield = performance.now();
    }
    throwIfCancelled(this.control.signal, what, when);
  }
}
