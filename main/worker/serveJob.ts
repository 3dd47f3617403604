// The worker side of one long job: waits for 'start', runs the job with a TrainingControl that the controller's
// pause / resume / cancel messages steer, streams its events, and answers with 'done' or, when the job threw before
// it could report an outcome (bad input, no backend), 'error'. A plain function of a port, so serveTraining and
// servePipeline are tested in-process over a MessageChannel.
import { toWire } from '../../contract/errors';
import { TrainingControl } from '../engine/training/trainingControl';
import type { FromWorker, MessageEndpoint, ToWorker } from './workerProtocol';

export type Job<Start, Event, Outcome> = (start: Start, control: TrainingControl, emit: (event: Event) => void) => Promise<Outcome>;

/** Serves one job on `port`; resolves after the final message was posted. */
export function serveJob<Start, Event, Outcome>(port: MessageEndpoint, job: Job<Start, Event, Outcome>): Promise<void> {
  const control = new TrainingControl();
  const post = (message: FromWorker<Event, Outcome>) => port.postMessage(message);
  return new Promise((resolve) => {
    let started = false;
    const receive = (raw: unknown) => {
      const message = raw as ToWorker<Start>;
      if (message.type === 'pause') control.pause();
      else if (message.type === 'resume') control.resume();
      else if (message.type === 'cancel') control.cancel();
      else if (message.type === 'start' && !started) {
        started = true;
        job(message.start, control, (event) => post({ type: 'event', event }))
          .then((outcome) => post({ type: 'done', outcome }))
          .catch((error: unknown) => post({ type: 'error', error: toWire(error) }))
          .finally(() => {
            port.off('message', receive);
            resolve();
          });
      }
    };
    port.on('message', receive);
  });
}
