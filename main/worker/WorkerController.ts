// The calling side of one long job in a worker thread (node:worker_threads): sends the start request, streams the
// job's events to listeners, forwards pause / resume / cancel (which the job reads at safe points), and settles
// `done` with the job's outcome, or rejects it with the error that kept the job from starting (re-thrown as the
// same class, e.g. ArgumentError for bad input). TrainingController and PipelineController are this class with
// their own messages and worker entry.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromWire, NotFoundError, RemoteError } from '../../contract/errors';
import type { FromWorker, MessageEndpoint, ToWorker } from './workerProtocol';

/** What a controller needs of a worker: a message endpoint that can report its exit and be stopped. */
export interface JobWorker extends MessageEndpoint {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

/**
 * A built worker entry (e.g. out/main/worker.js): beside the bundle that holds this code, or one folder up when the
 * bundler put this code in a shared chunk (out/main/chunks/).
 */
export function builtWorkerFile(fileName: string, what: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, fileName), join(here, '..', fileName)];
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) throw new NotFoundError(`${what} worker not found at ${candidates.join(' or ')}; build the app first`);
  return found;
}

export class WorkerController<Start, Event, Outcome> {
  /** Settles when the job has ended (any status) and the worker has been stopped. */
  readonly done: Promise<Outcome>;
  readonly #worker: JobWorker;
  readonly #listeners = new Set<(event: Event) => void>();
  #finished = false;

  /** `what` names the job in errors ("training worker exited …"). */
  protected constructor(start: Start, worker: JobWorker, what: string) {
    this.#worker = worker;
    this.done = new Promise<Outcome>((resolve, reject) => {
      const finish = (settle: () => void) => {
        if (this.#finished) return;
        this.#finished = true;
        void this.#worker.terminate().finally(settle);
      };
      this.#worker.on('message', (raw: unknown) => {
        const message = raw as FromWorker<Event, Outcome>;
        if (message.type === 'event') for (const listener of this.#listeners) listener(message.event);
        else if (message.type === 'done') finish(() => resolve(message.outcome));
        else if (message.type === 'error') finish(() => reject(fromWire(message.error)));
      });
      this.#worker.on('error', (error: Error) => finish(() => reject(new RemoteError(`${what} worker failed: ${error.message}`))));
      this.#worker.on('exit', (code: number) => {
        if (this.#finished) return;
        this.#finished = true;
        reject(new RemoteError(`${what} worker exited with code ${code} before the job ended`));
      });
    });
    this.#send({ type: 'start', start });
  }

  /** Calls `listener` with every event of the job; returns a function that stops it. */
  onEvent(listener: (event: Event) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Holds the job at its next safe point (a training run: between two steps) until resume or cancel. */
  pause(): void {
    this.#send({ type: 'pause' });
  }

  resume(): void {
    this.#send({ type: 'resume' });
  }

  /** Ends the job at its next safe point (a training run writes a checkpoint); status 'cancelled'. */
  cancel(): void {
    this.#send({ type: 'cancel' });
  }

  /**
   * Stops the worker at once, mid-step if need be (like a crash: a training run keeps status 'running' and resumes
   * from its latest checkpoint); `done` rejects. For shutting the app down; cancel() is the clean stop.
   */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #send(message: ToWorker<Start>): void {
    if (!this.#finished) this.#worker.postMessage(message);
  }
}
