// The messages between a PipelineController and its pipeline worker (the protocol of workerProtocol.ts with the
// one-click pipeline's request, events and outcome, as main/pipeline/runPipeline.ts defines them).
import type { BackendName } from '../../native/tfBackend';
import type { PipelineEvent, PipelineOutcome, PipelineRequest } from '../pipeline/runPipeline';
import type { FromWorker as FromJobWorker, ToWorker as ToJobWorker } from './workerProtocol';

export type { PipelineEvent, PipelineOutcome, PipelineRequest };

export type PipelineStart = {
  request: PipelineRequest;
  /** The data folder; the worker opens its own connection to the catalog in it. */
  dataDir: string;
  /** Use exactly this TF.js backend; default: the fastest that loads. */
  backend?: BackendName;
};

export type ToWorker = ToJobWorker<PipelineStart>;
export type FromWorker = FromJobWorker<PipelineEvent, PipelineOutcome>;
