// The calling side of a training run in a worker thread: a WorkerController with the training job's contract
// (step, loss, metrics, clips/s, ETA, checkpoints, status changes) and entry (out/main/worker.js). pause / resume /
// cancel are read by the training loop between steps.
import { Worker } from 'node:worker_threads';
import type { TrainingEvent, TrainingOutcome } from '../engine/training/trainingEvents';
import type { TrainingStart } from './jobContract';
import type { PortEndpoint } from './messagePortTransport';
import { builtWorkerFile, WorkerController } from './WorkerController';

export type TrainingControllerOptions = {
  /** The built worker entry (default: worker.js beside this bundle, i.e. out/main/worker.js). */
  workerFile?: string;
  /** Makes the worker, or a port to a worker side run in-process (tests); replaces workerFile. */
  spawn?: () => PortEndpoint;
};

/** The built training worker entry, out/main/worker.js. */
export function defaultWorkerFile(): string {
  return builtWorkerFile('worker.js', 'training');
}

export class TrainingController extends WorkerController<TrainingStart, TrainingEvent, TrainingOutcome> {
  /** Starts a run in a new worker. */
  static start(start: TrainingStart, options: TrainingControllerOptions = {}): TrainingController {
    const worker = options.spawn?.() ?? new Worker(options.workerFile ?? defaultWorkerFile());
    return new TrainingController(start, worker, 'training');
  }
}
