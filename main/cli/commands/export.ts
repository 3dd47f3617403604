// `evgap export annotations DATASET --format coarse|mstcn --out DIR` and `evgap export runs [DATASET] --out FILE`:
// a dataset's segments in the Assembly101 coarse format or the MS-TCN per-frame format, and runs with their
// metrics and evaluation results as CSV or JSON (by --format, else by the file's extension), and
// `evgap export embeddings DATASET --run RUN[:STEP] --out DIR`: a pre-training run's per-frame embeddings per view,
// and `evgap export job --dataset NAME --step 1|2 --out DIR`: a pre-training run as a PyTorch job folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { exportCoarseLabels, exportMsTcn } from '../../export/annotationExport';
import { collectRunResults, runResultsCsv, runResultsJson } from '../../export/runResultsExport';
import { exportRunEmbeddings } from '../../export/runEmbeddings';
import { resolveDataDir } from '../../paths';
import { progressPrinter } from '../progress';
import { activateBackend } from '../backendFlag';
import { defineCommand, UsageError, writeLine, type CliIO, type ParsedCommand } from '../commandLine';
import { findDataset } from '../datasetReport';
import { withCatalog } from '../openCatalog';
import { jobExportOptions, runJobExport } from './exportJob';

const help = `Usage: evgap export annotations DATASET --format coarse|mstcn --out DIR [--data DIR]
       evgap export runs [DATASET] --out FILE [--format csv|json] [--data DIR]
       evgap export embeddings DATASET --run RUN[:STEP] --out DIR [--method tokens|sliding-cls] [--backend NAME]
       evgap export job --dataset NAME --step 1|2 --out DIR [--preset demo|paper] [--steps N] [--init RUN[:STEP]]
                        [--seed N] [--step1-loss local|gathered]

Export from the catalog:
  annotations   The dataset's segments. coarse: one Assembly101 label file per video
                (start_frame end_frame action; assembly_/disassembly_ files for Assembly101 recordings).
                mstcn: groundTruth/<video>.txt (one label per frame) and mapping.txt.
  runs          Runs (all, or the dataset's) with config, metric series and evaluation results.
  embeddings    Per-frame embeddings of a pre-training run's encoder (its last checkpoint, or the one at STEP),
                one <DIR>/<scene>/<view>.npy of float32 [frames, D] per view. tokens: final-layer token outputs
                over windows of T frames (default); sliding-cls: a window's class embedding around each frame.
  job           A pre-training run as a folder for PyTorch (torchrun, DistributedDataParallel): the resolved
                config, the seed, the sampling plan, the feature locations relative to the dataset's root, the
                starting weights, launch.sh, an example SLURM script and the evgap_torch package. Bring the
                results back with \`evgap import run DIR\`.

Options:
  --format F   coarse or mstcn (annotations); csv or json (runs; default from the --out extension)
  --out PATH   Output folder (annotations, embeddings) or file (runs)
  --run R[:S]  embeddings: the pre-training run (and checkpoint step)
  --method M   embeddings: tokens (default) or sliding-cls
  --backend B  embeddings: use exactly this TF.js backend (tensorflow-gpu, tensorflow, wasm, cpu)
  --dataset N  job: the dataset to train on
  --step 1|2   job: pre-training step
  --preset P   job: demo (default) or paper
  --steps N    job: optimizer steps (default: the preset's)
  --init R[:S] job, step 2: start from this completed step-1 run's last checkpoint (or the one at S)
  --seed N     job: seed of the initial weights and the batches (default: the preset's)
  --step1-loss job, step 1: InfoNCE over each process's own pairs (local, default) or the gathered global batch
  --data DIR   Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help   Show this help`;

function requireOut(out: string | undefined): string {
  if (!out) throw new UsageError('--out is required', 'export');
  return resolve(out);
}

const exportOptions = {
  format: { type: 'string' },
  out: { type: 'string' },
  run: { type: 'string' },
  method: { type: 'string' },
  backend: { type: 'string' },
  ...jobExportOptions,
} as const;

async function exportWhat({ values, positionals }: ParsedCommand<typeof exportOptions>, io: CliIO): Promise<number> {
  const [what, datasetName, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`, 'export');
  const dataDir = resolveDataDir(values.data, io.env);
  if (what === 'annotations') {
    if (!datasetName) throw new UsageError('missing DATASET', 'export');
    if (values.format !== 'coarse' && values.format !== 'mstcn') {
      throw new UsageError(`--format: expected coarse or mstcn, got ${JSON.stringify(values.format ?? '')}`, 'export');
    }
    const out = requireOut(values.out);
    const files = await withCatalog(dataDir, (catalog) => {
      const dataset = findDataset(catalog, datasetName);
      return values.format === 'coarse' ? exportCoarseLabels(catalog, dataset.id, out) : exportMsTcn(catalog, dataset.id, out);
    });
    writeLine(io.stdout, `Wrote ${files.length} files to ${out}`);
    return 0;
  }
  if (what === 'runs') {
    const out = requireOut(values.out);
    const format = values.format ?? extname(out).slice(1).toLowerCase();
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format: expected csv or json, got ${JSON.stringify(format)}`, 'export');
    const text = await withCatalog(dataDir, (catalog) => {
      const datasetId = datasetName ? findDataset(catalog, datasetName).id : undefined;
      const results = collectRunResults(catalog, { datasetId });
      return { body: format === 'csv' ? runResultsCsv(results) : runResultsJson(results), count: results.length };
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text.body);
    writeLine(io.stdout, `Wrote ${text.count} run${text.count === 1 ? '' : 's'} to ${out}`);
    return 0;
  }
  if (what === 'embeddings') {
    if (!datasetName) throw new UsageError('missing DATASET', 'export');
    const run = /^(\d+)(?::(\d+))?$/.exec(values.run ?? '');
    if (!run || Number(run[1]) < 1) throw new UsageError(`--run: expected RUN or RUN:STEP, got ${JSON.stringify(values.run ?? '')}`, 'export');
    const method = values.method ?? 'tokens';
    if (method !== 'tokens' && method !== 'sliding-cls') {
      throw new UsageError(`--method: expected tokens or sliding-cls, got ${JSON.stringify(method)}`, 'export');
    }
    const out = requireOut(values.out);
    await activateBackend(io, 'export', values.backend);
    const progress = progressPrinter(io.stderr, 'Embedding');
    const result = await withCatalog(dataDir, async (catalog) => {
      try {
        return await exportRunEmbeddings(catalog, {
          datasetId: findDataset(catalog, datasetName).id,
          runId: Number(run[1]),
          ...(run[2] !== undefined && { checkpointStep: Number(run[2]) }),
          out,
          method,
          onProgress: ({ done, total, what: view }) => progress.update(done, total, view),
        });
      } finally {
        progress.finish();
      }
    });
    writeLine(io.stdout, `Wrote ${result.files.length} embedding files to ${out} (${result.encoder})`);
    return 0;
  }
  if (what === 'job') {
    if (datasetName !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(datasetName)} (name the dataset with --dataset)`, 'export');
    return runJobExport(values, dataDir, io);
  }
  throw new UsageError(
    what ? `unknown export ${JSON.stringify(what)} (annotations, runs, embeddings, job)` : 'missing what to export (annotations, runs, embeddings, job)',
    'export',
  );
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'Export annotations, run results (CSV, JSON), per-frame embeddings (.npy) or a PyTorch pre-training job',
  help,
  options: exportOptions,
  // What to export, then (for some) the DATASET.
  positionals: 'own',
  run: exportWhat,
});

/** Runs `evgap export ...` (argv after the command name); returns the exit code. */
export const runExport = (args: string[], io: CliIO): Promise<number> => exportCommand.run(args, io);
