// The messages between a TrainingController and its training worker (the protocol of workerProtocol.ts with a
// training run's start request, events and outcome).
import type { BackendName } from '../../native/tfBackend';
import type { TrainingRequest } from '../engine/training/prepareTraining';
import type { TrainingEvent, TrainingOutcome } from '../engine/training/trainingEvents';
import type { FromWorker as FromRunWorker, ToWorker as ToRunWorker } from './workerProtocol';

export type { MessageEndpoint } from './workerProtocol';

export type TrainingStart = {
  request: TrainingRequest;
  /** The data folder; the worker opens its own connection to the catalog in it. */
  dataDir: string;
  /** Use exactly this TF.js backend; default: the fastest that loads. */
  backend?: BackendName;
  /** Steps between metric writes (see runTraining). */
  metricsEvery?: number;
};

export type ToWorker = ToRunWorker<TrainingStart>;
export type FromWorker = FromRunWorker<TrainingEvent, TrainingOutcome>;
