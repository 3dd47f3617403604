// A worker thread that stands in for a broken job worker: it takes the start call (messages as contract/rpc writes
// them), reports the given job events, and on the next call it receives throws an uncaught error or exits, the way
// a worker that crashes or is killed mid-job goes away.
import { Worker } from 'node:worker_threads';

export type WorkerEnd = 'throw' | 'exit';

/** What the controller's side is told when the worker goes away (before "… before it answered <method>"). */
export const failingWorkerReasons: Record<WorkerEnd, string> = {
  throw: 'failed (the kernel ran out of memory)',
  exit: 'exited with code 3',
};

export function failingWorker(end: WorkerEnd, events: unknown[]): Worker {
  const ending = end === 'throw' ? "throw new Error('the kernel ran out of memory')" : 'process.exit(3)';
  return new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     parentPort.on('message', (message) => {
       if (message.type !== 'call') return;
       if (message.method !== 'start') { ${ending}; }
       for (const payload of workerData) parentPort.postMessage({ type: 'event', name: 'job.event', payload });
     });`,
    { eval: true, workerData: events },
  );
}
