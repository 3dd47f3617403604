// The head pool (main/worker/headPool.ts) against the in-process runner on the small demo fixture: the
// segmentation, anticipation and ablation stages (quick settings) give exactly the same numbers, in the same
// order, whether their heads run one after another here, on pool workers served in this thread over
// MessageChannels (every job and result crosses by structured cloning, the data is reloaded per worker), or on
// real worker threads of a freshly built head worker entry (two heads at once). Also: a failing head comes back
// as an error naming it, a worker that dies fails the job naming it, and cancellation stops handing out jobs.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type BackendName, type BackendReport } from '../../../native/tfBackend';
import { resolveConfig } from '../../../main/engine/config';
import { createEncoder } from '../../../main/engine/encoder/encoder';
import { exportEncoderTensors } from '../../../main/engine/weights/encoderWeights';
import { anticipationStage } from '../../../main/pipeline/anticipationStage';
import { loadEvaluationData, type EvaluationData } from '../../../main/pipeline/evaluationData';
import type { HeadJob } from '../../../main/pipeline/headJob';
import { inProcessHeadRunner, type HeadRunner } from '../../../main/pipeline/headRunner';
import type { EncoderWeights } from '../../../main/pipeline/pipelineEncoders';
import { ablationStage, segmentationStage, type HeadContext } from '../../../main/pipeline/segmentationStage';
import { pipelineSettings } from '../../../main/pipeline/settings';
import type { HeadWorkerOpen } from '../../../main/worker/headContract';
import { headPool, HeadJobError } from '../../../main/worker/headPool';
import { messagePortTransport } from '../../../main/worker/messagePortTransport';
import { serveHeads } from '../../../main/worker/serveHeads';
import { createPipelineFixture, type PipelineFixture } from './pipelineFixture';

const timeout = 600_000;
const settings = pipelineSettings('demo', true);
/** Where the test builds the head worker entry (inside the project, so the native addon is found above it). */
const builtDir = join(import.meta.dirname, '..', '..', '..', 'out', 'test', 'headPool');

let fixture: PipelineFixture;
let backend: BackendReport;
let data: EvaluationData;
let open: HeadWorkerOpen;
let encoders: HeadContext['encoders'];

/** Weights of a fresh encoder (seeded) for the fixture's 32-d features, as a pre-training checkpoint holds them. */
function weights(seed: number): EncoderWeights {
  const config = resolveConfig('demo', { encoder: { inputDim: data.featureDim } }).encoder;
  const encoder = createEncoder(config, seed);
  try {
    return { config, weights: exportEncoderTensors(encoder), source: `test encoder ${seed}` };
  } finally {
    encoder.dispose();
  }
}

/** A pool whose workers are served in this thread, each over its own MessageChannel (its own data, loaded by open). */
function inThreadPool(size: number): HeadRunner {
  return headPool({
    open,
    size,
    spawn: () => {
      const { port1, port2 } = new MessageChannel();
      serveHeads(messagePortTransport(port2, 'the pipeline'), { loadBackend: async () => backend, keepKernelsOnThread: false });
      return port1;
    },
  });
}

const context = (runner: HeadRunner, between: HeadContext['between'] = async () => undefined): HeadContext => ({
  data,
  runner,
  settings: settings.segmentation,
  encoders,
  seed: 5,
  between,
});

/** Every stage's numbers (the notes name the runner, so they are compared without their last line). */
async function stages(runner: HeadRunner) {
  try {
    const heldOut = [data.views.ego[0]!, data.views.exo[0]!];
    const segmentation = await segmentationStage(context(runner), heldOut);
    const anticipation = await anticipationStage(context(runner), settings.anticipation);
    const ablation = await ablationStage(context(runner), segmentation);
    return {
      segmentation: { ...segmentation, notes: segmentation.notes.slice(0, -1) },
      anticipation: { ...anticipation, notes: anticipation.notes.slice(0, -1) },
      ablation,
    };
  } finally {
    await runner.close();
  }
}

beforeAll(async () => {
  backend = await loadBackend();
  fixture = await createPipelineFixture();
  data = loadEvaluationData(fixture.catalog, fixture.dataset);
  open = { dataDir: fixture.dataDir, dataset: fixture.dataset, backend: backend.backend as BackendName };
  encoders = { step1: weights(11), step2: weights(12), step2FromRandom: weights(13) };
}, timeout);

afterAll(() => {
  data?.store.close();
  fixture?.cleanup();
  rmSync(builtDir, { recursive: true, force: true });
});

describe('the head pool', () => {
  let sequential: Awaited<ReturnType<typeof stages>>;

  beforeAll(async () => {
    sequential = await stages(inProcessHeadRunner(data));
  }, timeout);

  it('gives the in-process numbers, in order, with workers served over MessageChannels', async () => {
    const pooled = await stages(inThreadPool(2));
    expect(sequential.segmentation.novelView).toHaveLength(2);
    expect(sequential.segmentation.heads[0]!.twoView.map((row) => row.input)).toEqual(['base', 'evgap-frozen', 'evgap']);
    expect(sequential.ablation.map((row) => row.variant)).toEqual(['base', 'random', 'step1', 'step2', 'step1+step2']);
    expect(pooled).toStrictEqual(sequential);
  }, timeout);

  it('gives the in-process numbers on real worker threads (a freshly built head worker entry)', async () => {
    await build({
      configFile: false,
      logLevel: 'warn',
      build: { ssr: join(import.meta.dirname, '..', '..', '..', 'main', 'worker', 'headWorker.ts'), outDir: builtDir, emptyOutDir: true, rollupOptions: { output: { entryFileNames: 'heads.js' } } },
    });
    const threads = headPool({ open, size: 2, spawn: () => new Worker(join(builtDir, 'heads.js')) });
    expect(await stages(threads)).toStrictEqual(sequential);
  }, timeout);
});

/** A one-scene C2F-TCN job (Base input, quick settings). */
const job = (label: string, sceneId: number, cost = 1): HeadJob => ({
  kind: 'segmentation',
  label,
  cost,
  head: 'c2f-tcn',
  source: { kind: 'base' },
  protocol: { train: [{ sceneId, views: [data.views.ego[0]!] }], test: [{ sceneId, views: [data.views.ego[0]!] }], views: 1 },
  settings: settings.segmentation,
  seed: 1,
});

describe('the head pool hands jobs out', () => {
  it('costliest first, and returns the results in the jobs\' order', async () => {
    const jobs = [job('cheap', data.train[0]!.source.sceneId, 1), job('dear', data.train[1]!.source.sceneId, 3), job('middling', data.train[2]!.source.sceneId, 2)];
    const asked: string[] = [];
    const pool = inThreadPool(1);
    try {
      const pooled = await pool.run(jobs, async (_done, _total, what) => void asked.push(what));
      expect(asked).toEqual(['dear', 'middling', 'cheap']);
      expect(pooled).toStrictEqual(await inProcessHeadRunner(data).run(jobs, async () => undefined));
      expect(new Set(pooled.map((result) => JSON.stringify(result))).size).toBe(3);
    } finally {
      await pool.close();
    }
  }, timeout);
});

describe('the head pool when something goes wrong', () => {
  it('fails a head that throws in its worker with an error naming the head', async () => {
    const pool = inThreadPool(2);
    try {
      const run = pool.run([job('good head', data.train[0]!.source.sceneId), job('the missing scene', 999_999)], async () => undefined);
      await expect(run).rejects.toThrow(HeadJobError);
      await expect(run).rejects.toThrow(/^the missing scene: RemoteError: scene 999999 is not an evaluated scene/);
    } finally {
      await pool.close();
    }
  }, timeout);

  it('fails the head whose worker died, naming it', async () => {
    const pool = headPool({ open, size: 1, spawn: () => new Worker('process.exit(3)', { eval: true }) });
    try {
      await expect(pool.run([job('the orphaned head', data.train[0]!.source.sceneId)], async () => undefined)).rejects.toThrow(
        /^the orphaned head: DisconnectedError: head worker exited with code 3/,
      );
    } finally {
      await pool.close();
    }
  }, timeout);

  it('stops handing out jobs once `between` throws (cancellation), and rethrows its error', async () => {
    const pool = inThreadPool(2);
    const asked: string[] = [];
    const cancelled = new Error('cancelled during segmentation');
    const jobs = ['one', 'two', 'three', 'four', 'five'].map((label) => job(label, data.train[0]!.source.sceneId));
    try {
      await expect(
        pool.run(jobs, async (done, total, what) => {
          asked.push(what);
          expect(total).toBe(5);
          if (asked.length === 3) throw cancelled;
        }),
      ).rejects.toBe(cancelled);
      // Two workers: at most the two jobs in flight when the third was refused were asked for before it.
      expect(asked).toEqual(['one', 'two', 'three']);
    } finally {
      await pool.close();
    }
  }, timeout);
});
