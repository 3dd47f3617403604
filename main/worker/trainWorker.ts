// Entry of the training worker thread (built to out/main/worker.js): serves one training run on parentPort.
// All the logic is in serveTraining.ts, which the tests run in-process.
import { parentPort } from 'node:worker_threads';
import { messagePortTransport } from './messagePortTransport';
import { serveTraining } from './serveTraining';

if (parentPort === null) throw new Error('trainWorker must run in a worker thread (node:worker_threads)');
serveTraining(messagePortTransport(parentPort, 'the app'));
