// The calling side of one long job in a worker thread (node:worker_threads): connects to the worker's job contract
// (jobContract.ts) over its MessagePort, calls `start`, streams the job's events to listeners and forwards pause /
// resume / cancel (which the job reads at safe points). `done` settles with the job's outcome, or rejects with the
// error that kept the job from starting (re-thrown as the same class, e.g. ArgumentError for bad input), or with a
// DisconnectedError naming why the worker went away mid-job ("training worker exited with code 1 …").
// TrainingController and PipelineController are this class with their own contract and worker entry.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '../../contract/errors';
import { connect, type Client } from '../../contract/rpc';
import type { JobContract, JobState } from './jobContract';
import { messagePortTransport, type MessagePortTransport, type PortEndpoint } from './messagePortTransport';

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
  readonly #transport: MessagePortTransport;
  readonly #client: Client<JobContract<Start, Event, Outcome>>;
  #ended = false;

  /** `endpoint` is the worker (or a port to a worker side run in-process); `what` names it in errors. */
  protected constructor(start: Start, endpoint: PortEndpoint, what: string) {
    this.#transport = messagePortTransport(endpoint, `${what} worker`);
    this.#client = connect<JobContract<Start, Event, Outcome>>(this.#transport);
    const stop = async () => {
      this.#ended = true;
      this.#client.close();
      await this.#transport.close().catch(() => undefined);
    };
    this.done = this.#client.api.start(start).then(
      async (outcome) => {
        await stop();
        return outcome;
      },
      async (error: unknown) => {
        await stop();
        throw error;
      },
    );
  }

  /** Calls `listener` with every event of the job; returns a function that stops it. */
  onEvent(listener: (event: Event) => void): () => void {
    return this.#client.on('job.event', listener);
  }

  /**
   * Holds the job at its next safe point (a training run: between two steps) until resume or cancel. Resolves once
   * the worker has the request; a job that has ended has nothing to hold.
   */
  pause(): Promise<void> {
    return this.#steer('pause');
  }

  resume(): Promise<void> {
    return this.#steer('resume');
  }

  /** Ends the job at its next safe point (a training run writes a checkpoint); status 'cancelled'. */
  cancel(): Promise<void> {
    return this.#steer('cancel');
  }

  /** Where the job stands, answered by the worker (a round trip through its message loop). */
  status(): Promise<JobState> {
    return this.#client.api.status({});
  }

  /**
   * Stops the worker at once, mid-step if need be (like a crash: a training run keeps status 'running' and resumes
   * from its latest checkpoint); `done` rejects. For shutting the app down; cancel() is the clean stop.
   */
  async terminate(): Promise<void> {
    await this.#transport.close();
  }

  async #steer(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (this.#ended) return;
    try {
      await this.#client.api[action]({});
    } catch (error) {
      // The job ended while the request was on its way: there is nothing left to steer.
      if (!this.#ended) throw error;
    }
  }
}
