// The messages between a TrainingController and its training worker: one 'start', then control requests down;
// events, then exactly one 'done' (the run ended, whatever its status) or 'error' (it never started: bad input,
// no backend) up. Plain data only; errors travel as {name, message} (contract/errors.ts).
import type { WireError } from '../../contract/errors';
import type { BackendName } from '../../native/tfBackend';
import type { TrainingRequest } from '../engine/training/prepareTraining';
import type { TrainingEvent, TrainingOutcome } from '../engine/training/trainingEvents';

export type TrainingStart = {
  request: TrainingRequest;
  /** The data folder; the worker opens its own connection to the catalog in it. */
  dataDir: string;
  /** Use exactly this TF.js backend; default: the fastest that loads. */
  backend?: BackendName;
  /** Steps between metric writes (see runTraining). */
  metricsEvery?: number;
};

export type ToWorker = { type: 'start'; start: TrainingStart } | { type: 'pause' } | { type: 'resume' } | { type: 'cancel' };

export type FromWorker =
  | { type: 'event'; event: TrainingEvent }
  | { type: 'done'; outcome: TrainingOutcome }
  | { type: 'error'; error: WireError };

/** The message-port side both ends use (node:worker_threads' MessagePort, parentPort and Worker all fit). */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}
