// The messages between a controller and the worker thread that runs one long job (a training run, a pipeline):
// one 'start', then control requests down; events, then exactly one 'done' (the job ended, whatever its status)
// or 'error' (it never started: bad input, no backend) up. Plain data only; errors travel as {name, message}
// (contract/errors.ts).
import type { WireError } from '../../contract/errors';

export type ToWorker<Start> = { type: 'start'; start: Start } | { type: 'pause' } | { type: 'resume' } | { type: 'cancel' };

export type FromWorker<Event, Outcome> =
  | { type: 'event'; event: Event }
  | { type: 'done'; outcome: Outcome }
  | { type: 'error'; error: WireError };

/** The message-port side both ends use (node:worker_threads' MessagePort, parentPort and Worker all fit). */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}
