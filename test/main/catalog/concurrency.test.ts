// Several processes write one catalog at once, as the training worker and the UI do: two child processes (one
// logging metrics, one moving a sync offset) and this process (metrics and another view's offset), hundreds of
// small transactions each. Every write must land and none may fail with SQLITE_BUSY.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { FILE_PRAGMAS, SESSION_PRAGMAS } from '../../../main/catalog/connection';
import { sampleSpec, useTempDir } from './fixtures/catalogFixtures';

const tempDir = useTempDir();
const writerScript = fileURLToPath(new URL('./fixtures/catalogWriter.mjs', import.meta.url));
const WRITES = 400;

interface WriterResult {
  written: number;
  errors: string[];
}

function startWriter(file: string, mode: 'metrics' | 'sync', target: number) {
  const pragmas = JSON.stringify([...SESSION_PRAGMAS, ...FILE_PRAGMAS]);
  const child = fork(writerScript, [file, mode, String(WRITES), pragmas, String(target)], { execArgv: [], stdio: 'inherit' });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { ready?: boolean }) => message.ready && resolve());
  });
  const done = new Promise<WriterResult>((resolve, reject) => {
    child.on('message', (message: { done?: boolean } & WriterResult) => message.done && resolve(message));
    child.once('exit', (code) => reject(new Error(`${mode} writer exited with code ${code} before reporting`)));
  });
  return { child, ready, done };
}

function send(child: ChildProcess, message: string): Promise<void> {
  return new Promise((resolve, reject) => child.send(message, (error) => (error ? reject(error) : resolve())));
}

describe('concurrent writers', () => {
  it('lands every write from two other processes and this one without SQLITE_BUSY', async () => {
    const dir = tempDir();
    const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
    try {
      const datasetId = catalog.importDataset(sampleSpec(join(dir, 'data')));
      const scene = catalog.getScene(catalog.listScenes(datasetId)[0]!.id);
      const [workerView, uiView] = [scene.views[0]!, scene.views[1]!];
      const runId = catalog.createRun({ datasetId, kind: 'pretrain', config: {}, seed: 1, backend: null });

      const writers = [startWriter(catalog.file, 'metrics', runId), startWriter(catalog.file, 'sync', workerView.id)];
      await Promise.all(writers.map((w) => w.ready));
      await Promise.all(writers.map((w) => send(w.child, 'go')));

      const ownErrors: string[] = [];
      for (let i = 0; i < WRITES; i++) {
        try {
          catalog.addRunMetrics(runId, [
            { step: i, name: 'ui/a', value: i },
            { step: i, name: 'ui/b', value: -i },
          ]);
          catalog.setSyncOffset(uiView.id, i + 1);
        } catch (error) {
          ownErrors.push(String(error));
        }
      }
      const results = await Promise.all(writers.map((w) => w.done));

      expect(ownErrors).toEqual([]);
      expect(results).toEqual([
        { done: true, written: WRITES, errors: [] },
        { done: true, written: WRITES, errors: [] },
      ]);
      const metrics = catalog.runMetrics(runId);
      const countOf = (name: string) => metrics.filter((m) => m.name === name).length;
      expect([countOf('worker/loss'), countOf('ui/a'), countOf('ui/b')]).toEqual([WRITES, WRITES, WRITES]);
      // The worker logs how many metric rows it saw before each insert: a gap would mean a lost or torn write.
      const workerSeen = metrics.filter((m) => m.name === 'worker/loss').map((m) => m.value);
      expect(workerSeen.every((seen, i) => i === 0 || seen > workerSeen[i - 1]!)).toBe(true);
      const views = catalog.getScene(scene.scene.id).views;
      expect(views.find((v) => v.id === workerView.id)!.syncOffsetFrames).toBe(WRITES);
      expect(views.find((v) => v.id === uiView.id)!.syncOffsetFrames).toBe(WRITES);
    } finally {
      catalog.close();
    }
  });
});
