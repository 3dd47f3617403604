// The calling side of the one-click pipeline in a worker thread: a WorkerController with the pipeline worker's
// messages (stage progress, and the events of the training runs it starts) and entry (out/main/pipeline.js).
// pause / resume / cancel reach the training run the pipeline is in.
import { Worker } from 'node:worker_threads';
import type { PipelineEvent, PipelineOutcome, PipelineStart } from './pipelineMessages';
import { builtWorkerFile, WorkerController, type JobWorker } from './WorkerController';

export type PipelineControllerOptions = {
  /** The built worker entry (default: pipeline.js beside this bundle, i.e. out/main/pipeline.js). */
  workerFile?: string;
  /** Makes the worker; replaces workerFile (tests run the worker side in-process). */
  spawn?: () => JobWorker;
};

/** The built pipeline worker entry, out/main/pipeline.js. */
export function defaultPipelineWorkerFile(): string {
  return builtWorkerFile('pipeline.js', 'pipeline');
}

export class PipelineController extends WorkerController<PipelineStart, PipelineEvent, PipelineOutcome> {
  /** Starts a pipeline run in a new worker. */
  static start(start: PipelineStart, options: PipelineControllerOptions = {}): PipelineController {
    const worker = options.spawn?.() ?? (new Worker(options.workerFile ?? defaultPipelineWorkerFile()) as JobWorker);
    return new PipelineController(start, worker, 'pipeline');
  }
}
