// The contract between the head pool (headPool.ts) and each of its worker threads (headWorker.ts), spoken with
// contract/rpc over the worker's MessagePort: `open` loads the TF.js backend and the evaluation data once per
// worker (its own catalog connection, the same loader as runPipeline), then `run` trains one head job
// (main/pipeline/headJob.ts) and answers with its result, or with its error as its class. Jobs hold typed arrays
// and Maps (encoder weights), which structured cloning carries; they are plain data, so the check here is only
// that an object came.
import type { Contract } from '../../contract/rpc';
import { object, oneOf, optional, str, type Infer, type Schema } from '../../contract/schema';
import { ArgumentError } from '../../contract/errors';
import { backendNames } from '../cli/backendFlag';
import type { HeadJob, HeadJobResult } from '../pipeline/headJob';

/** A structured-clonable object typed as `T`: what it holds is checked where it is used (runHeadJob). */
function structured<T>(what: string): Schema<T> {
  return {
    describe: what,
    check(value, path) {
      if (value === null || typeof value !== 'object') throw new ArgumentError(`${path}: expected ${what}, got ${value === null ? 'null' : typeof value}`);
      return value as T;
    },
  };
}

const openArgs = object({
  /** The data folder; the worker opens its own catalog connection in it (SQLite connections are per thread). */
  dataDir: str({ minLength: 1, maxLength: 4096 }),
  /** The evaluated dataset and its unlabeled class, as runPipeline loads them (loadEvaluationData). */
  dataset: str({ minLength: 1 }),
  unlabeledClass: optional(str({ minLength: 1 })),
  /** The TF.js backend the pipeline runs on; the worker uses exactly this one. */
  backend: optional(oneOf(...backendNames)),
});
export type HeadWorkerOpen = Infer<typeof openArgs>;

const runArgs = object({ job: structured<HeadJob>('a head job') });

export type HeadContract = Contract<
  { open: typeof openArgs; run: typeof runArgs },
  { open: { backend: string }; run: HeadJobResult },
  Record<string, never>
>;

export const headContract: HeadContract = { args: { open: openArgs, run: runArgs } };
