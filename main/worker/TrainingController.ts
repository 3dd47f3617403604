// The calling side of a training run in a worker thread (node:worker_threads): starts the worker, streams its
// progress events (step, loss, metrics, clips/s, ETA, checkpoints, status changes) to listeners, forwards pause /
// resume / cancel (read by the loop between steps), and settles `done` with the run's outcome, or rejects it with
// the error that kept the run from starting (re-thrown as the same class, e.g. ArgumentError for bad input).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromWire, NotFoundError, RemoteError } from '../../contract/errors';
import type { TrainingEvent, TrainingOutcome } from '../engine/training/trainingEvents';
import type { FromWorker, MessageEndpoint, ToWorker, TrainingStart } from './trainingMessages';

/** What the controller needs of a worker: a message endpoint that can report its exit and be stopped. */
export interface TrainingWorker extends MessageEndpoint {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

export type TrainingControllerOptions = {
  /** The built worker entry (default: worker.js beside this bundle, i.e. out/main/worker.js). */
  workerFile?: string;
  /** Makes the worker; replaces workerFile (tests run the worker side in-process). */
  spawn?: () => TrainingWorker;
};

/**
 * The built worker entry: out/main/worker.js, beside the bundle that holds this code, or one folder up when the
 * bundler put this code in a shared chunk (out/main/chunks/).
 */
export function defaultWorkerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'worker.js'), join(here, '..', 'worker.js')];
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) throw new NotFoundError(`training worker not found at ${candidates.join(' or ')}; build the app first`);
  return found;
}

export class TrainingController {
  /** Settles when the run has ended (any status) and the worker has been stopped. */
  readonly done: Promise<TrainingOutcome>;
  readonly #worker: TrainingWorker;
  readonly #listeners = new Set<(event: TrainingEvent) => void>();
  #finished = false;

  private constructor(start: TrainingStart, options: TrainingControllerOptions) {
    this.#worker = options.spawn?.() ?? (new Worker(options.workerFile ?? defaultWorkerFile()) as TrainingWorker);
    this.done = new Promise<TrainingOutcome>((resolve, reject) => {
      const finish = (settle: () => void) => {
        if (this.#finished) return;
        this.#finished = true;
        void this.#worker.terminate().finally(settle);
      };
      this.#worker.on('message', (raw: unknown) => {
        const message = raw as FromWorker;
        if (message.type === 'event') for (const listener of this.#listeners) listener(message.event);
        else if (message.type === 'done') finish(() => resolve(message.outcome));
        else if (message.type === 'error') finish(() => reject(fromWire(message.error)));
      });
      this.#worker.on('error', (error: Error) => finish(() => reject(new RemoteError(`training worker failed: ${error.message}`))));
      this.#worker.on('exit', (code: number) => {
        if (this.#finished) return;
        this.#finished = true;
        reject(new RemoteError(`training worker exited with code ${code} before the run ended`));
      });
    });
    this.#send({ type: 'start', start });
  }

  /** Starts a run in a new worker. */
  static start(start: TrainingStart, options: TrainingControllerOptions = {}): TrainingController {
    return new TrainingController(start, options);
  }

  /** Calls `listener` with every event of the run; returns a function that stops it. */
  onEvent(listener: (event: TrainingEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Holds the run between two steps (status 'paused') until resume or cancel. */
  pause(): void {
    this.#send({ type: 'pause' });
  }

  resume(): void {
    this.#send({ type: 'resume' });
  }

  /** Ends the run after the current step with a checkpoint; status 'cancelled'. */
  cancel(): void {
    this.#send({ type: 'cancel' });
  }

  /**
   * Stops the worker at once, mid-step if need be (like a crash: the run keeps status 'running' and resumes from
   * its latest checkpoint); `done` rejects. For shutting the app down; cancel() is the clean stop.
   */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #send(message: ToWorker): void {
    if (!this.#finished) this.#worker.postMessage(message);
  }
}
