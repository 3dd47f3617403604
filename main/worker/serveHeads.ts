// The worker side of the head pool: on `open`, loads the TF.js backend the pipeline runs on and the evaluation
// data (its OWN catalog connection, loadEvaluationData as in runPipeline; once per worker), then trains each head
// job `run` sends with runHeadJob, the function the in-process runner calls, so a job's numbers do not depend on
// the thread. Where the native addon runs the kernels, this thread's kernels run on it alone (keepOnCallingThread):
// the pool's workers already keep every core busy, and a kernel spread over the addon's shared threads would wait
// for the other heads' calls (same results either way). headWorker.ts is the thin entry; the tests serve this
// in-process over a MessageChannel.
import { serve, type Transport } from '../../contract/rpc';
import { ConflictError } from '../../contract/errors';
import { loadMatMulAddon } from '../../native/matmul/index';
import { loadBackend, nativeMatMulAttempt, type BackendReport, type LoadBackendOptions } from '../../native/tfBackend';
import { Catalog } from '../catalog/Catalog';
import { catalogFile } from '../paths';
import { loadEvaluationData, type EvaluationData } from '../pipeline/evaluationData';
import { runHeadJob } from '../pipeline/runHeadJob';
import { headContract } from './headContract';

export type ServeHeadsOptions = {
  /** How the backend is chosen (default: native/tfBackend's loadBackend). */
  loadBackend?: (options: LoadBackendOptions) => Promise<BackendReport>;
  /** Run this thread's native kernels on it alone (default true; false for workers served in a thread that does more). */
  keepKernelsOnThread?: boolean;
};

/** Serves head jobs on `transport`; returns a function that stops serving and closes the data. */
export function serveHeads(transport: Transport, options: ServeHeadsOptions = {}): () => void {
  let data: EvaluationData | undefined;
  let catalog: Catalog | undefined;
  const server = serve(
    {
      async open(open) {
        if (data !== undefined) throw new ConflictError('this head worker has opened its data already');
        const backend = await (options.loadBackend ?? loadBackend)(open.backend === undefined ? {} : { force: open.backend });
        const addon = backend.tried.some((attempt) => attempt.name === nativeMatMulAttempt && attempt.ok) ? loadMatMulAddon() : undefined;
        if (addon?.ok && options.keepKernelsOnThread !== false) addon.addon.keepOnCallingThread(true);
        catalog = Catalog.open(catalogFile(open.dataDir));
        data = loadEvaluationData(catalog, open.dataset, open.unlabeledClass);
        return { backend: backend.backend };
      },
      run({ job }) {
        if (data === undefined) throw new ConflictError('this head worker has no data: open comes first');
        return runHeadJob(data, job);
      },
    },
    transport,
    headContract,
  );
  return () => {
    server.stop();
    data?.store.close();
    catalog?.close();
  };
}
