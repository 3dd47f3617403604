// `evgap import <format> PATH`: reads a dataset folder as it ships (Assembly101, Charades-Ego, Ego-Exo4D, or a
// generic folder with a manifest) into the catalog. Reading streams the features with a progress bar and stops on
// Ctrl-C; the catalog is written in one transaction at the end, so a failed or cancelled import leaves nothing.
// The validation report (missing views, frame counts that disagree, wrong dimensions) is printed or, with
// --json, returned as JSON with the new dataset.
import { resolve } from 'node:path';
import type { Catalog } from '../../catalog/Catalog';
import { readAssembly101 } from '../../importers/assembly101/readAssembly101';
import { readCharadesEgo } from '../../importers/charadesEgo/readCharadesEgo';
import { ImportCancelledError } from '../../importers/common/errors';
import { commitImport, type ImportResult } from '../../importers/common/importResult';
import type { ImportControl } from '../../importers/common/progress';
import { summarizeReport } from '../../importers/common/validationReport';
import { readEgoExo4d } from '../../importers/egoExo4d/readEgoExo4d';
import { readFolderDataset } from '../../importers/folder/readFolderDataset';
import { acceptTranscodeOffers, probeSpecVideos, type VideoImportResult } from '../../importers/video/probeSpecVideos';
import { TranscodeCancelledError } from '../../importers/video/transcodeProxy';
import { resolveDataDir } from '../../paths';
import {
  commonOptions,
  expectPositionals,
  intFlag,
  parseCommandLine,
  UsageError,
  writeLine,
  type CliIO,
  type CommandSpec,
} from '../commandLine';
import { datasetReport, formatTotals } from '../datasetReport';
import { withCatalog } from '../openCatalog';
import { progressPrinter } from '../progress';

const FORMATS = ['assembly101', 'charades-ego', 'egoexo4d', 'folder'] as const;
type Format = (typeof FORMATS)[number];

/** Issues printed in full; the rest are counted. */
const SHOWN_ISSUES = 20;

const help = `Usage: evgap import <format> PATH [--name NAME] [--features DIR] [--annotations DIR] [--json] [--data DIR]

Import a dataset folder into the catalog. Formats:
  assembly101   TSM features as per-view LMDB environments (<features>/<view>/data.mdb) or
                <features>/<sequence>/<view>/features.npy; coarse_labels/, coarse_splits/, coarse_actions.csv
                (or the coarse-annotations/ and fine-grained-annotations/ folders as published)
  charades-ego  CharadesEgo_v1_*.csv and <features>/<id>.npy per video; X / XEGO pairs (pair-only, step 1)
  egoexo4d      takes.json (+ annotations/splits.json) and <features>/<take_name>/<cam_id>.npy
  folder        a folder with an EVGAP manifest.json

Options:
  --name NAME          Dataset name in the catalog (default: the format's name)
  --features DIR       Feature folder, when it is not inside PATH where the format expects it
  --annotations DIR    Annotation folder, when it is not PATH
  --videos DIR         Video folder (assembly101: <DIR>/<sequence>/<camera>.mp4; charades-ego: <DIR>/<id>.mp4)
  --transcode          Write a playable H.264 proxy beside each video a browser cannot play, and use it
  --feature-dim N      Expected feature dimension (assembly101 default 2048); other tracks are left out
  --segments KIND      assembly101: coarse (default) or fine labels as segments
  --json               Print the new dataset's summary and the validation report as JSON
  --data DIR           Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help           Show this help`;

interface ImportFlags {
  name?: string;
  features?: string;
  annotations?: string;
  videos?: string;
  featureDim?: number;
  segments?: 'coarse' | 'fine';
}

function readDataset(format: Format, path: string, flags: ImportFlags, control: ImportControl): Promise<ImportResult> {
  const common = {
    root: path,
    name: flags.name,
    annotations: flags.annotations && resolve(flags.annotations),
    features: flags.features && resolve(flags.features),
    videos: flags.videos && resolve(flags.videos),
    featureDim: flags.featureDim,
    ...control,
  };
  switch (format) {
    case 'assembly101':
      return readAssembly101({ ...common, segments: flags.segments });
    case 'charades-ego':
      return readCharadesEgo(common);
    case 'egoexo4d':
      return readEgoExo4d(common);
    case 'folder':
      return Promise.resolve({ spec: readFolderDataset(path, { name: flags.name }), report: { issues: [], counts: {} } });
  }
}

function parseFormat(text: string): Format {
  if (!(FORMATS as readonly string[]).includes(text)) throw new UsageError(`unknown format ${JSON.stringify(text)} (formats: ${FORMATS.join(', ')})`, 'import');
  return text as Format;
}

/** Probes the videos the spec names (not a folder's: its manifest declares them) and transcodes when asked. */
async function probeVideos(format: Format, result: ImportResult, transcode: boolean, control: ImportControl): Promise<VideoImportResult> {
  if (format === 'folder') return { ...result, offers: [] };
  const probed = await probeSpecVideos(result, control);
  return transcode && probed.offers.length > 0 ? acceptTranscodeOffers(probed, control) : probed;
}

function printResult(io: CliIO, catalog: Catalog, datasetId: number, result: VideoImportResult): void {
  const report = datasetReport(catalog, datasetId);
  writeLine(io.stdout, `Imported "${report.dataset.name}" (id ${datasetId}, ${report.dataset.format}): ${formatTotals(report)}`);
  writeLine(io.stdout, `  root: ${report.dataset.root}`);
  writeLine(io.stdout, `  validation: ${summarizeReport(result.report)}`);
  for (const issue of result.report.issues.slice(0, SHOWN_ISSUES)) {
    const where = [issue.scene, issue.view].filter(Boolean).join(' / ');
    writeLine(io.stdout, `    ${issue.kind}${where ? ` ${where}` : ''}: ${issue.message}`);
  }
  const hidden = result.report.issues.length - SHOWN_ISSUES;
  if (hidden > 0) writeLine(io.stdout, `    ... and ${hidden} more (--json lists them all)`);
  if (result.offers.length > 0) {
    writeLine(io.stdout, `  ${result.offers.length} videos need a playable proxy; import again with --transcode to write them`);
  }
}

/** Runs `evgap import ...` (argv after the command name); returns the exit code. */
export async function runImport(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('import', {
    args,
    options: {
      ...commonOptions,
      name: { type: 'string' },
      features: { type: 'string' },
      annotations: { type: 'string' },
      videos: { type: 'string' },
      transcode: { type: 'boolean' },
      'feature-dim': { type: 'string' },
      segments: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    writeLine(io.stdout, help);
    return 0;
  }
  expectPositionals('import', positionals, ['format', 'PATH']);
  const format = parseFormat(positionals[0]!);
  if (values.segments !== undefined && values.segments !== 'coarse' && values.segments !== 'fine') {
    throw new UsageError(`--segments: expected coarse or fine, got ${JSON.stringify(values.segments)}`, 'import');
  }
  const flags: ImportFlags = {
    name: values.name,
    features: values.features,
    annotations: values.annotations,
    videos: values.videos,
    featureDim: intFlag('import', 'feature-dim', values['feature-dim'], { min: 1, max: 1_000_000 }),
    segments: values.segments as 'coarse' | 'fine' | undefined,
  };
  const dataDir = resolveDataDir(values.data, io.env);
  const controller = new AbortController();
  void io.untilStopped().then(() => controller.abort());
  const progress = progressPrinter(io.stderr, `Importing ${format}`);
  try {
    const control: ImportControl = { signal: controller.signal, onProgress: ({ done, total, what }) => progress.update(done, total, what) };
    const read = await readDataset(format, resolve(positionals[1]!), flags, control);
    const result = await probeVideos(format, read, values.transcode ?? false, control);
    progress.finish();
    return await withCatalog(dataDir, (catalog) => {
      const datasetId = commitImport(catalog, result, controller.signal);
      if (values.json) {
        writeLine(io.stdout, JSON.stringify({ dataset: catalog.getDataset(datasetId).dataset, report: result.report, transcodeOffers: result.offers }, null, 2));
      } else printResult(io, catalog, datasetId, result);
      return 0;
    });
  } catch (error) {
    progress.finish();
    if (error instanceof ImportCancelledError || error instanceof TranscodeCancelledError) {
      writeLine(io.stderr, `evgap: ${error.message}; nothing was imported`);
      return 130;
    }
    throw error;
  }
}

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'Import Assembly101, Charades-Ego, Ego-Exo4D or a manifest folder',
  help,
  run: runImport,
};
