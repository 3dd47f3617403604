// `evgap export annotations DATASET --format coarse|mstcn --out DIR` and `evgap export runs [DATASET] --out FILE`:
// a dataset's segments in the Assembly101 coarse format or the MS-TCN per-frame format, and runs with their
// metrics and evaluation results as CSV or JSON (by --format, else by the file's extension). Per-frame embeddings
// are exported through main/export/embeddingExport.ts by whoever holds an encoder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { exportCoarseLabels, exportMsTcn } from '../../export/annotationExport';
import { collectRunResults, runResultsCsv, runResultsJson } from '../../export/runResultsExport';
import { resolveDataDir } from '../../paths';
import { commonOptions, parseCommandLine, UsageError, writeLine, type CliIO, type CommandSpec } from '../commandLine';
import { findDataset } from '../datasetReport';
import { withCatalog } from '../openCatalog';

const help = `Usage: evgap export annotations DATASET --format coarse|mstcn --out DIR [--data DIR]
       evgap export runs [DATASET] --out FILE [--format csv|json] [--data DIR]

Export from the catalog:
  annotations   The dataset's segments. coarse: one Assembly101 label file per video
                (start_frame end_frame action; assembly_/disassembly_ files for Assembly101 recordings).
                mstcn: groundTruth/<video>.txt (one label per frame) and mapping.txt.
  runs          Runs (all, or the dataset's) with config, metric series and evaluation results.

Options:
  --format F   coarse or mstcn (annotations); csv or json (runs; default from the --out extension)
  --out PATH   Output folder (annotations) or file (runs)
  --data DIR   Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help   Show this help`;

function requireOut(out: string | undefined): string {
  if (!out) throw new UsageError('--out is required', 'export');
  return resolve(out);
}

/** Runs `evgap export ...` (argv after the command name); returns the exit code. */
export async function runExport(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('export', {
    args,
    options: { ...commonOptions, format: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
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
  throw new UsageError(what ? `unknown export ${JSON.stringify(what)} (annotations, runs)` : 'missing what to export (annotations, runs)', 'export');
}

export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'Export annotations (Assembly101 coarse, MS-TCN) or run results (CSV, JSON)',
  help,
  run: runExport,
};
