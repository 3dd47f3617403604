// The worker side of one long job: serves the job contract (jobContract.ts) on a transport. `start` runs the job
// once, with a TrainingControl that pause / resume / cancel steer, emitting its events, and answers with its
// outcome; a job that throws (bad input, no backend) answers with its error, re-thrown as the same class on the
// controller's side. A plain function of a transport, so serveTraining and servePipeline are tested in-process
// over a MessageChannel.
import { ConflictError } from '../../contract/errors';
import { serve, type Transport } from '../../contract/rpc';
import { TrainingControl } from '../engine/training/trainingControl';
import type { JobContract, JobState } from './jobContract';

export type Job<Start, Event, Outcome> = (start: Start, control: TrainingControl, emit: (event: Event) => void) => Promise<Outcome>;

/** Serves one job on `transport`; returns a function that stops serving. */
export function serveJob<Start, Event, Outcome>(
  transport: Transport,
  contract: JobContract<Start, Event, Outcome>,
  job: Job<Start, Event, Outcome>,
): () => void {
  const control = new TrainingControl();
  let started = false;
  const state = (): JobState => ({ started, paused: control.paused, cancelled: control.cancelled, held: control.held });
  const server = serve(
    {
      start(start) {
        if (started) throw new ConflictError('this worker runs one job, and it has started already');
        started = true;
        return job(start, control, (event) => server.emit('job.event', event));
      },
      pause() {
        control.pause();
        return state();
      },
      resume() {
        control.resume();
        return state();
      },
      cancel() {
        control.cancel();
        return state();
      },
      status: state,
    },
    transport,
    contract,
  );
  return server.stop;
}
