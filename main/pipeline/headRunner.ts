// How a stage's head jobs run: a HeadRunner takes the jobs in their rows' order and returns their results in that
// order, awaiting the stage's `between` (progress and cancellation point) before it starts each job. This one runs
// them one after another in this thread; main/worker/headPool.ts runs several at once on worker threads (same
// results: each job is computed the same way wherever it runs, from its own seed).
import type { EvaluationData } from './evaluationData';
import type { HeadJob, HeadJobResult } from './headJob';
import { runHeadJob } from './runHeadJob';

/** Awaited before a job starts: `done` jobs of `total` have finished; throws when the pipeline was cancelled. */
export type BetweenHeads = (done: number, total: number, what: string) => Promise<void>;

export interface HeadRunner {
  /** How the heads run, in words, for the stage's progress and notes ("one after another in this thread"). */
  readonly description: string;
  run(jobs: readonly HeadJob[], between: BetweenHeads): Promise<HeadJobResult[]>;
  /** Stops what the runner started (worker threads); it may not be used afterwards. */
  close(): Promise<void>;
}

/** Runs every job in this thread, one after another. `why` says why the heads do not run in parallel, if they could. */
export function inProcessHeadRunner(data: EvaluationData, why?: string): HeadRunner {
  return {
    description: `heads trained one after another in this thread${why ? ` (${why})` : ''}`,
    async run(jobs, between) {
      const results: HeadJobResult[] = [];
      for (const [done, job] of jobs.entries()) {
        await between(done, jobs.length, job.label);
        results.push(runHeadJob(data, job));
      }
      return results;
    },
    async close() {},
  };
}
