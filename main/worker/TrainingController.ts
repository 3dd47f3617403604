// The calling side of a training run in a worker thread: a WorkerController with the training worker's messages
// (step, loss, metrics, clips/s, ETA, checkpoints, status changes) and entry (out/main/worker.js). pause / resume /
// cancel are read by the training loop between steps.
import { Worker } from 'node:worker_threads';
import type { TrainingEvent, TrainingOutcome } from '../engine/training/trainingEvents';
import type { TrainingStart } from './trainingMessages';
import { builtWorkerFile, WorkerController, type JobWorker } from './WorkerController';

export type TrainingControllerOptions = {
  /** The built worker entry (default: worker.js beside this bundle, i.e. out/main/worker.js). */
  workerFile?: string;
  /** Makes the worker; replaces workerFile (tests run the worker side in-process). */
  spawn?: () => JobWorker;
};

/** The built training worker entry, out/main/worker.js. */
export function defaultWorkerFile(): string {
  return builtWorkerFile('worker.js', 'training');
}

export class TrainingController extends WorkerController<TrainingStart, TrainingEvent, TrainingOutcome> {
  /** Starts a run in a new worker. */
  static start(start: TrainingStart, options: TrainingControllerOptions = {}): TrainingController {
    const worker = options.spawn?.() ?? (new Worker(options.workerFile ?? defaultWorkerFile()) as JobWorker);
    return new TrainingController(start, worker, 'training');
  }
}
