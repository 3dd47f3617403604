// Entry of the pipeline worker thread (built to out/main/pipeline.js): serves one pipeline run on parentPort.
// All the logic is in servePipeline.ts, which the tests run in-process.
import { parentPort } from 'node:worker_threads';
import { messagePortTransport } from './messagePortTransport';
import { servePipeline } from './servePipeline';

if (parentPort === null) throw new Error('pipelineWorker must run in a worker thread (node:worker_threads)');
servePipeline(messagePortTransport(parentPort, 'the app'));
