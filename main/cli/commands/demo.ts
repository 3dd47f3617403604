// `evgap demo`: generates the synthetic demo dataset into <data>/datasets/demo, registers it in the catalog as
// "demo", then runs the whole pre-train-and-evaluate pipeline on it (step 1 → step 2 → retrieval → segmentation
// with novel views → anticipation → ablation → report; see main/pipeline) unless --no-pipeline is given.
// Generation happens in a sibling folder that replaces the old one only when complete, so an interrupted run never
// leaves half a dataset behind. The manifest records the generator's options, to reuse a matching demo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import { generateDemoFolder } from '../../demo/generateDemoFolder';
import { resolveDemoOptions, type DemoOptions } from '../../demo/options';
import { DEMO_GENERATOR, MANIFEST_FILE } from '../../importers/folder/manifest';
import { commitImport } from '../../importers/common/importResult';
import { readDataset } from '../../importers/readDataset';
import { datasetsDir, resolveDataDir } from '../../paths';
import { defineCommand, intFlag, UsageError, writeLine, type CliIO } from '../commandLine';
import { datasetReport, formatTotals } from '../datasetReport';
import { withCatalog } from '../openCatalog';
import { progressPrinter } from '../progress';
import { printOutcome, runPipelineCommand } from './pipeline';
import { backendFlag } from '../backendFlag';

export const DEMO_DATASET = 'demo';

const help = `Usage: evgap demo [--seed N] [--scenes N] [--dim N] [--no-videos] [--force] [--no-pipeline] [--quick]
       [--backend NAME] [--data DIR]

Generate the synthetic ego-exo demo dataset (feature tracks, videos, labelled segments, sync offsets) into
<data>/datasets/demo, register it in the catalog as dataset "demo" (running it again with the same options
reuses what is there), then pre-train and evaluate on it: step 1, step 2, cross-view retrieval, segmentation with
novel views, anticipation and the ablation, with a report in <data>/runs/<id>/report/ (about 15 minutes with the
default settings on 2 CPU cores).

Options:
  --seed N          Random seed; the same seed gives the same bytes (default: 1)
  --scenes N        Number of scenes, at least 3 (default: 8)
  --dim N           Feature dimension per frame (default: 2048)
  --no-videos       Skip rendering videos (much faster; features alone are enough for training)
  --force           Regenerate and replace an existing demo dataset (its runs stay, detached from it)
  --no-pipeline     Only generate and register the dataset (also: --generate-only)
  --quick           Run the pipeline with tiny settings (a few steps and epochs): a check, not a result
  --backend NAME    TF.js backend of the pipeline: tensorflow-gpu, tensorflow, wasm or cpu (default: the fastest)
  --data DIR        Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help        Show this help`;

function requestedOptions(values: { seed?: string; scenes?: string; dim?: string; 'no-videos'?: boolean }): DemoOptions {
  const overrides: Partial<DemoOptions> = {};
  const seed = intFlag('demo', 'seed', values.seed, { min: 0, max: 0xffffffff });
  const scenes = intFlag('demo', 'scenes', values.scenes, { min: 1, max: 1_000_000 });
  const dim = intFlag('demo', 'dim', values.dim, { min: 1, max: 1_000_000 });
  if (seed !== undefined) overrides.seed = seed;
  if (scenes !== undefined) overrides.scenes = scenes;
  if (dim !== undefined) overrides.featureDim = dim;
  if (values['no-videos']) overrides.videos = false;
  try {
    return resolveDemoOptions(overrides);
  } catch (error) {
    if (error instanceof ArgumentError) throw new UsageError(error.message, 'demo');
    throw error;
  }
}

/** The options a complete demo in `folder` was generated with (the manifest is written last), if there is one. */
function generatedOptions(folder: string): DemoOptions | undefined {
  let manifest: { generator?: { name?: unknown; options?: unknown } };
  try {
    manifest = JSON.parse(readFileSync(join(folder, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const { generator } = manifest;
  return generator?.name === DEMO_GENERATOR ? (generator.options as DemoOptions) : undefined;
}

function sameOptions(stored: DemoOptions | undefined, wanted: DemoOptions): boolean {
  if (stored === undefined || Object.keys(stored).length !== Object.keys(wanted).length) return false;
  return Object.entries(wanted).every(([key, value]) => (stored as unknown as Record<string, unknown>)[key] === value);
}

function describeOptions(options: DemoOptions): string {
  return `seed ${options.seed}, ${options.scenes} scenes, ${options.featureDim}-d features, videos ${options.videos ? 'on' : 'off'}`;
}

async function generateInto(folder: string, options: DemoOptions, io: CliIO): Promise<void> {
  const progress = progressPrinter(io.stderr, 'Generating demo');
  try {
    await generateDemoFolder(folder, options, ({ done, total, what }) => progress.update(done, total, what));
  } finally {
    progress.finish();
  }
}

/** Makes sure the catalog holds a demo generated with `options`; returns its id and whether it was reused. */
async function ensureDemo(catalog: Catalog, folder: string, options: DemoOptions, force: boolean, io: CliIO) {
  const existing = catalog.findDatasetByName(DEMO_DATASET);
  const folderMatches = sameOptions(generatedOptions(folder), options);
  if (existing && !force) {
    if (existing.root === folder && folderMatches) return { datasetId: existing.id, reused: true };
    const stored = generatedOptions(existing.root);
    const what = stored ? `other options (${describeOptions(stored)})` : `another origin (${existing.root})`;
    throw new Error(`a dataset "${DEMO_DATASET}" from ${what} is already in the catalog; run again with --force to replace it`);
  }
  if (force || !folderMatches) await generateInto(folder, options, io);
  else writeLine(io.stderr, `Reusing the demo files in ${folder}`);
  // Our own files: checked like any import, but not probed (the generator wrote the videos it declares).
  const result = await readDataset({ format: 'folder', root: folder, name: DEMO_DATASET, probeVideos: false });
  if (existing) catalog.deleteDataset(existing.id);
  return { datasetId: commitImport(catalog, result), reused: false };
}

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'Generate the demo dataset, then pre-train and evaluate on it (report in HTML, JSON, CSV)',
  help,
  options: {
    seed: { type: 'string' },
    scenes: { type: 'string' },
    dim: { type: 'string' },
    'no-videos': { type: 'boolean' },
    force: { type: 'boolean' },
    'no-pipeline': { type: 'boolean' },
    'generate-only': { type: 'boolean' },
    quick: { type: 'boolean' },
    backend: { type: 'string' },
  },
  positionals: [],
  async run({ values }, io) {
    const options = requestedOptions(values);
    const pipeline = !(values['no-pipeline'] || values['generate-only']);
    const backend = backendFlag('demo', values.backend);
    const dataDir = resolveDataDir(values.data, io.env);
    const folder = join(datasetsDir(dataDir), DEMO_DATASET);
    return withCatalog(dataDir, async (catalog) => {
      const { datasetId, reused } = await ensureDemo(catalog, folder, options, values.force ?? false, io);
      const report = datasetReport(catalog, datasetId);
      const dataFlag = values.data ? ` --data ${/^[\w@%+=:,./-]+$/.test(dataDir) ? dataDir : JSON.stringify(dataDir)}` : '';
      writeLine(io.stdout, `${reused ? 'Demo dataset already up to date' : 'Demo dataset ready'}: "${DEMO_DATASET}" (id ${datasetId}; ${describeOptions(options)})`);
      writeLine(io.stdout, `  ${formatTotals(report)}`);
      writeLine(io.stdout, `  files: ${folder}`);
      writeLine(io.stdout, '');
      let code = 0;
      if (pipeline) {
        const request = { dataset: DEMO_DATASET, preset: 'demo' as const, ...(values.quick && { quick: true }) };
        const outcome = await runPipelineCommand(catalog, dataDir, request, io, backend === undefined ? {} : { backend });
        code = printOutcome(io, outcome, false);
        writeLine(io.stdout, '');
        if (code !== 0) return code;
      }
      writeLine(io.stdout, 'Next steps:');
      const steps = [
        [`evgap serve${dataFlag}`, 'open EVGAP Studio in your browser'],
        [`evgap info ${DEMO_DATASET}${dataFlag}`, 'scenes, views, tracks and segments'],
      ] as const;
      const width = Math.max(...steps.map(([command]) => command.length));
      for (const [command, what] of steps) writeLine(io.stdout, `  ${command.padEnd(width)}  # ${what}`);
      return code;
    });
  },
});

