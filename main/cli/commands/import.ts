// `evgap import <format> PATH`: reads a dataset folder as it ships (Assembly101, Charades-Ego, Ego-Exo4D, or a
// generic folder with a manifest) into the catalog through the one import pipeline (importers/readDataset.ts):
// reading with a progress bar, the videos probed, the import checks, then one catalog transaction, so a failed or
// refused import leaves nothing. Ctrl-C or SIGTERM stops any format the same way: exit 130, nothing imported.
// The validation report (missing views, frame counts that disagree, wrong dimensions) is printed or, with
// --json, returned as JSON with the new dataset. `evgap import run DIR` brings a trained PyTorch job folder back as a
// pre-training run (main/jobs/importRun.ts).
import { resolve } from 'node:path';
import type { Catalog } from '../../catalog/Catalog';
import { ImportCancelledError } from '../../importers/common/errors';
import { commitImport } from '../../importers/common/importResult';
import type { ImportControl } from '../../importers/common/progress';
import { summarizeReport } from '../../importers/common/validationReport';
import { EGOEXO4D_FEATURE_KIND_NAMES, isEgoExo4dFeatureKind, type EgoExo4dFeatureKind } from '../../importers/egoExo4d/featureSource';
import { IMPORT_FORMATS, readDataset, type ImportFormat } from '../../importers/readDataset';
import type { VideoImportResult } from '../../importers/video/probeSpecVideos';
import { TranscodeCancelledError } from '../../importers/video/transcodeProxy';
import { resolveDataDir } from '../../paths';
import { defineCommand, expectPositionals, intFlag, UsageError, writeLine, type CliIO, type ParsedCommand } from '../commandLine';
import { datasetReport, formatTotals } from '../datasetReport';
import { withCatalog } from '../openCatalog';
import { progressPrinter } from '../progress';
import { runRunImport } from './importRun';

/** Issues printed in full; the rest are counted. */
const SHOWN_ISSUES = 20;

const help = `Usage: evgap import <format> PATH [--name NAME] [--features DIR] [--feature-kind KIND] [--annotations DIR] [--json] [--data DIR]
       evgap import run DIR [--dataset NAME] [--json] [--data DIR]

Import a dataset folder into the catalog. Formats:
  assembly101   TSM features as per-view LMDB environments (<features>/<view>/data.mdb) or
                <features>/<sequence>/<view>/features.npy; coarse_labels/, coarse_splits/, coarse_actions.csv
                (or the coarse-annotations/ and fine-grained-annotations/ folders as published)
  charades-ego  CharadesEgo_v1_*.csv and <features>/<id>.npy per video; X / XEGO pairs (pair-only, step 1)
  egoexo4d      takes.json (+ annotations/splits.json) and features as shipped:
                features/<kind>/<take_uid>_<cam_id>_<stream_id>.pt (or <features>/<take_name>/<cam_id>.npy)
  folder        a folder with an EVGAP manifest.json
  run           not a dataset: a job folder from \`evgap export job\`, trained with PyTorch, becomes a
                pre-training run of the catalog (config, metrics, checkpoints, where it ran)

Options:
  --name NAME          Dataset name in the catalog (default: the format's name)
  --features DIR       Feature folder, when it is not inside PATH where the format expects it
  --annotations DIR    Annotation folder, when it is not PATH
  --videos DIR         Video folder (assembly101: <DIR>/<sequence>/<camera>.mp4; charades-ego: <DIR>/<id>.mp4)
  --transcode          Write a playable H.264 proxy beside each video a browser cannot play, and use it
  --feature-dim N      Expected feature dimension (assembly101 default 2048); other tracks are left out
  --segments KIND      assembly101: coarse (default) or fine labels as segments
  --feature-kind KIND  egoexo4d: omnivore_video (one feature per 16 frames, over 32; the default) or
                       maws_clip_2b (one per frame), where --features does not name the kind's folder
  --dataset NAME       run: the catalog dataset the run belongs to (default: the job's dataset)
  --json               Print the new dataset's summary and the validation report as JSON
  --data DIR           Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help           Show this help

Before anything is written the dataset is checked: feature dimensions that differ between views, empty tracks,
a layout that contradicts the video, segments outside their scene or overlapping in one label track, and sync
offsets larger than the scene refuse the import; frame counts that disagree between views are reported. Ctrl-C
stops the import (exit 130) and nothing is written.`;

function parseFormat(text: string): ImportFormat {
  if (!(IMPORT_FORMATS as readonly string[]).includes(text)) throw new UsageError(`unknown format ${JSON.stringify(text)} (formats: ${IMPORT_FORMATS.join(', ')})`, 'import');
  return text as ImportFormat;
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

const importOptions = {
  name: { type: 'string' },
  features: { type: 'string' },
  annotations: { type: 'string' },
  videos: { type: 'string' },
  transcode: { type: 'boolean' },
  'feature-dim': { type: 'string' },
  segments: { type: 'string' },
  'feature-kind': { type: 'string' },
  dataset: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function importFrom({ values, positionals }: ParsedCommand<typeof importOptions>, io: CliIO): Promise<number> {
  if (positionals[0] === 'run') {
    expectPositionals('import', positionals, ['run', 'DIR']);
    return runRunImport(positionals[1]!, values, io);
  }
  if (values.dataset !== undefined) throw new UsageError('--dataset applies to `evgap import run` only', 'import');
  expectPositionals('import', positionals, ['format', 'PATH']);
  const format = parseFormat(positionals[0]!);
  if (values.segments !== undefined && values.segments !== 'coarse' && values.segments !== 'fine') {
    throw new UsageError(`--segments: expected coarse or fine, got ${JSON.stringify(values.segments)}`, 'import');
  }
  const featureKind = values['feature-kind'];
  if (featureKind !== undefined) {
    if (format !== 'egoexo4d') throw new UsageError(`--feature-kind applies to egoexo4d only, not ${format}`, 'import');
    if (!isEgoExo4dFeatureKind(featureKind)) {
      throw new UsageError(`--feature-kind: expected ${EGOEXO4D_FEATURE_KIND_NAMES.join(' or ')}, got ${JSON.stringify(featureKind)}`, 'import');
    }
  }
  const request = {
    format,
    root: resolve(positionals[1]!),
    name: values.name,
    features: values.features && resolve(values.features),
    annotations: values.annotations && resolve(values.annotations),
    videos: values.videos && resolve(values.videos),
    featureDim: intFlag('import', 'feature-dim', values['feature-dim'], { min: 1, max: 1_000_000 }),
    segments: values.segments as 'coarse' | 'fine' | undefined,
    featureKind: featureKind as EgoExo4dFeatureKind | undefined,
    transcode: values.transcode ?? false,
  };
  const dataDir = resolveDataDir(values.data, io.env);
  const controller = new AbortController();
  void io.untilStopped().then(() => controller.abort());
  const progress = progressPrinter(io.stderr, `Importing ${format}`);
  try {
    const control: ImportControl = { signal: controller.signal, onProgress: ({ done, total, what }) => progress.update(done, total, what) };
    const result = await readDataset(request, control);
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

export const importCommand = defineCommand({
  name: 'import',
  summary: 'Import Assembly101, Charades-Ego, Ego-Exo4D or a manifest folder; or a trained PyTorch job as a run',
  help,
  options: importOptions,
  // FORMAT PATH, or `run DIR`.
  positionals: 'own',
  run: importFrom,
});

/** Runs `evgap import ...` (argv after the command name); returns the exit code. */
export const runImport = (args: string[], io: CliIO): Promise<number> => importCommand.run(args, io);
