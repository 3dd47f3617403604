// A HeadRunner (main/pipeline/headRunner.ts) that trains several head jobs at once, one per worker thread: each
// worker (headWorker.ts) loads the backend and the evaluation data once, then takes jobs one at a time. A head
// keeps about one core busy (mid-sized products below the native addon's threading threshold, plus TF.js's
// per-kernel work), so `size` workers (default: one per core) train `size` heads at once. Jobs are handed out
// costliest first (their `cost`; equal costs in their order), each after the stage's `between` (progress, with the
// count of finished heads, and the cancellation point); results come back in the jobs' order, whichever finishes
// first. A job's numbers are the same as in this
// thread: it carries everything it reads (settings, seed, encoder weights) and runHeadJob computes it the same way
// on any thread. On cancellation or any failure every worker is terminated and the error is rethrown; a job's
// error (thrown in the worker, or the worker dying) comes back as a HeadJobError naming the head.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { connect, type Client } from '../../contract/rpc';
import type { HeadJob, HeadJobResult } from '../pipeline/headJob';
import type { BetweenHeads, HeadRunner } from '../pipeline/headRunner';
import { headContract, type HeadContract, type HeadWorkerOpen } from './headContract';
import { messagePortTransport, type MessagePortTransport, type PortEndpoint } from './messagePortTransport';

/** A head job failed (in its worker, or its worker went away); the message names the head. */
export class HeadJobError extends Error {
  override name = 'HeadJobError';
}

export type HeadPoolOptions = {
  /** What every worker opens: the data folder, dataset and backend of the pipeline. */
  open: HeadWorkerOpen;
  /** Makes one worker: a Worker of the built entry, or a port to a worker side served in-process (tests). */
  spawn: () => PortEndpoint;
  /** At most this many workers (default: os.availableParallelism()); a run starts no more than it has jobs. */
  size?: number;
};

type PoolWorker = { transport: MessagePortTransport; client: Client<HeadContract>; opened: Promise<unknown> };

export function headPool(options: HeadPoolOptions): HeadRunner {
  const size = Math.max(1, options.size ?? availableParallelism());
  let workers: PoolWorker[] = [];
  let closed = false;

  const start = (): PoolWorker => {
    const transport = messagePortTransport(options.spawn(), 'head worker');
    const client = connect<HeadContract>(transport);
    const opened = client.api.open(options.open);
    opened.catch(() => undefined); // awaited by the first job; a pool closed before that has no use for the error
    return { transport, client, opened };
  };
  const close = async () => {
    const stopping = workers;
    workers = [];
    await Promise.all(
      stopping.map(async (worker) => {
        worker.client.close();
        await worker.transport.close().catch(() => undefined);
      }),
    );
  };

  return {
    description: `heads trained ${size} at a time on worker threads (the same numbers as one after another)`,
    async run(jobs: readonly HeadJob[], between: BetweenHeads): Promise<HeadJobResult[]> {
      if (closed) throw new Error('the head pool was closed');
      const results: HeadJobResult[] = new Array<HeadJobResult>(jobs.length);
      while (workers.length < Math.min(size, jobs.length)) workers.push(start());
      const order = jobs.map((_, index) => index).sort((a, b) => jobs[b]!.cost - jobs[a]!.cost || a - b);
      let next = 0;
      let done = 0;
      let failed = false;
      const lane = async (worker: PoolWorker) => {
        while (!failed && next < order.length) {
          const index = order[next++]!;
          const job = jobs[index]!;
          await between(done, jobs.length, job.label);
          if (failed) return;
          try {
            await worker.opened;
            results[index] = await worker.client.api.run({ job });
          } catch (error) {
            throw new HeadJobError(`${job.label}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
          }
          done++;
        }
      };
      try {
        await Promise.all(workers.slice(0, Math.min(size, jobs.length)).map(lane));
      } catch (error) {
        failed = true;
        await close();
        throw error;
      }
      return results;
    },
    async close() {
      closed = true;
      await close();
    },
  };
}

/** A pool of built head workers (out/main/heads.js at `file`). */
export function builtHeadPool(file: string, open: HeadWorkerOpen, size?: number): HeadRunner {
  return headPool({ open, spawn: () => new Worker(file), ...(size === undefined ? {} : { size }) });
}
