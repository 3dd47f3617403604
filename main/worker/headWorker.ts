// Entry of a head pool worker thread (built to out/main/heads.js): serves head jobs on parentPort. All the logic
// is in serveHeads.ts, which the tests run in-process.
import { parentPort } from 'node:worker_threads';
import { messagePortTransport } from './messagePortTransport';
import { serveHeads } from './serveHeads';

if (parentPort === null) throw new Error('headWorker must run in a worker thread (node:worker_threads)');
serveHeads(messagePortTransport(parentPort, 'the pipeline'));
