// The calling side of the one-click pipeline in a worker thread: a WorkerController with the pipeline job's
// contract (stage progress, and the events of the training runs it starts) and entry (out/main/pipeline.js).
// pause / resume / cancel reach the training run the pipeline is in.
import { Worker } from 'node:worker_threads';
import type { PipelineEvent, PipelineOutcome } from '../pipeline/runPipeline';
import type { PipelineStart } from './jobContract';
import type { PortEndpoint } from './messagePortTransport';
import { builtWorkerFile, WorkerController } from './WorkerController';

export type PipelineControllerOptions = {
  /** The built worker entry (default: pipeline.js beside this bundle, i.e. out/main/pipeline.js). */
  workerFile?: string;
  /** Makes the worker, or a port to a worker side run in-process (tests); replaces workerFile. */
  spawn?: () => PortEndpoint;
};

/** The built pipeline worker entry, out/main/pipeline.js. */
export function defaultPipelineWorkerFile(): string {
  return builtWorkerFile('pipeline.js', 'pipeline');
}

export class PipelineController extends WorkerController<PipelineStart, PipelineEvent, PipelineOutcome> {
  /** Starts a pipeline run in a new worker. */
  static start(start: PipelineStart, options: PipelineControllerOptions = {}): PipelineController {
    const worker = options.spawn?.() ?? new Worker(options.workerFile ?? defaultPipelineWorkerFile());
    return new PipelineController(start, worker, 'pipeline');
  }
}
