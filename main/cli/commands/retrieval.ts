// `evgap retrieval --dataset NAME [--run RUN[:STEP] | --weights FILE]`: cross-view retrieval on a dataset's held-out
// scenes (eval/retrieval): per (ego view, exo view), ego→exo and exo→ego Recall@1/5/10 and median rank with their
// chance levels, and the mean over pairs. Without --run or --weights the clips are embedded by their raw features
// (the Base). Prints a table, or the whole result (per-scene numbers included) as JSON.
import type { SceneSplit } from '../../engine/sampling/sources';
import type { RetrievalSummary } from '../../eval/retrieval/crossViewRetrieval';
import { evaluateDatasetRetrieval, type DatasetRetrievalReport, type RetrievalEmbedding } from '../../eval/retrieval/datasetRetrieval';
import { resolveDataDir } from '../../paths';
import { findDataset } from '../datasetReport';
import { defineCommand, intFlag, UsageError, writeLine } from '../commandLine';
import { withCatalog } from '../openCatalog';
import { progressPrinter } from '../progress';
import { activateBackend } from '../backendFlag';

const help = `Usage: evgap retrieval --dataset NAME [--run RUN[:STEP] | --weights FILE] [--split test|val|train|all]
       [--stride N] [--window N] [--heads N] [--backend NAME] [--json] [--data DIR]

Cross-view retrieval on the dataset's held-out scenes: clips of w1 frames (scale 1) every w2 frames of scene time,
sync offsets applied; for each (ego view, exo view), each ego clip retrieves its moment among the same scene's exo
clips (ego→exo) and the other way round (exo→ego). Recall@1/5/10 (%) and median rank are averaged over scenes, with
the chance level of each in parentheses, then averaged over view pairs. To compare an encoder with the Base, give
the Base the same --stride and a --window equal to the encoder's T (the run's or file's window is printed).

Options:
  --dataset NAME    Dataset (name or id)
  --run RUN[:STEP]  Embed with this pre-training run's last checkpoint (or the one at STEP); its window and stride
  --weights FILE    Embed with these encoder weights (.safetensors)
                    Neither: raw features, each window's mean feature L2-normalized (the Base)
  --split S         Scenes to evaluate: test (default), val, train, or all
  --stride N        Frames between clip starts (default: the run's, else 100)
  --window N        Frames per clip for raw features (default 20; an encoder's is its T)
  --heads N         Attention heads of --weights; required when the file does not record them (shapes cannot tell)
  --backend NAME    Use exactly this TF.js backend (tensorflow-gpu, tensorflow, wasm, cpu)
  --json            Print the full result (per pair and per scene) as JSON
  --data DIR        Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help        Show this help`;

const splits = ['test', 'val', 'train', 'all'] as const;

type Values = { run?: string; weights?: string; heads?: string };

/** The embedding the flags ask for; usage errors for flags that do not fit together. */
export function retrievalEmbedding(values: Values): RetrievalEmbedding {
  if (values.run !== undefined && values.weights !== undefined) throw new UsageError('give --run or --weights, not both', 'retrieval');
  const heads = intFlag('retrieval', 'heads', values.heads, { min: 1, max: 4096 });
  if (heads !== undefined && values.weights === undefined) throw new UsageError('--heads applies to --weights only', 'retrieval');
  if (values.weights !== undefined) return { kind: 'weights', file: values.weights, ...(heads !== undefined && { heads }) };
  if (values.run === undefined) return { kind: 'raw' };
  const match = /^(\d+)(?::(\d+))?$/.exec(values.run.trim());
  if (match === null || Number(match[1]) < 1) {
    throw new UsageError(`--run: expected RUN or RUN:STEP (integers, RUN >= 1), got ${JSON.stringify(values.run)}`, 'retrieval');
  }
  return { kind: 'run', runId: Number(match[1]), ...(match[2] !== undefined && { checkpointStep: Number(match[2]) }) };
}

function format(value: number, chance: number): string {
  return `${value.toFixed(1)} (${chance.toFixed(1)})`;
}

/** The report as text: what was evaluated, then one row per pair and direction, then the mean over pairs. */
export function formatRetrieval(report: DatasetRetrievalReport): string[] {
  const split = report.split === null ? 'all scenes' : `split ${report.split}`;
  const lines = [
    `Cross-view retrieval on ${report.dataset}, ${split}: ${report.scenes} scene(s), clips of ${report.window} frames every ${report.stride} (scale 1)`,
    `Embeddings: ${report.embedding}`,
    'Gallery: the same scene\'s clips of the other view; averaged over scenes; chance in parentheses',
    '',
  ];
  const header = ['EGO', 'EXO', 'DIRECTION', ...report.ks.map((k) => `R@${k}`), 'MEDIAN RANK', 'SCENES', 'QUERIES'];
  const row = (ego: string, exo: string, direction: string, s: RetrievalSummary) => [
    ego,
    exo,
    direction,
    ...report.ks.map((k) => format(s.recallAt[k] as number, s.chanceRecallAt[k] as number)),
    format(s.medianRank, s.chanceMedianRank),
    String(s.scenes),
    String(s.queries),
  ];
  const rows = report.pairs.flatMap((pair) => [
    row(pair.egoView, pair.exoView, 'ego→exo', pair.egoToExo),
    row('', '', 'exo→ego', pair.exoToEgo),
  ]);
  const mean = `mean (${report.mean.pairs} pairs)`;
  rows.push(row(mean, '', 'ego→exo', report.mean.egoToExo), row('', '', 'exo→ego', report.mean.exoToEgo));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((r) => r[column]!.length)));
  for (const r of [header, ...rows]) lines.push(r.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines;
}

export const retrievalCommand = defineCommand({
  name: 'retrieval',
  summary: 'Cross-view retrieval (Recall@k, median rank) on held-out scenes',
  help,
  options: {
    dataset: { type: 'string' },
    run: { type: 'string' },
    weights: { type: 'string' },
    split: { type: 'string' },
    stride: { type: 'string' },
    window: { type: 'string' },
    heads: { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  async run({ values }, io) {
    if (values.dataset === undefined) throw new UsageError('missing --dataset NAME', 'retrieval');
    const embedding = retrievalEmbedding(values);
    const splitFlag = values.split ?? 'test';
    if (!(splits as readonly string[]).includes(splitFlag)) {
      throw new UsageError(`--split: expected one of ${splits.join(', ')}, got ${JSON.stringify(splitFlag)}`, 'retrieval');
    }
    const split = splitFlag === 'all' ? null : (splitFlag as SceneSplit);
    const stride = intFlag('retrieval', 'stride', values.stride, { min: 1, max: 1_000_000 });
    const window = intFlag('retrieval', 'window', values.window, { min: 1, max: 100_000 });
    if (embedding.kind !== 'raw') await activateBackend(io, 'retrieval', values.backend);
    const progress = values.json ? undefined : progressPrinter(io.stderr, 'Scenes');
    const report = await withCatalog(resolveDataDir(values.data, io.env), (catalog) => {
      try {
        return evaluateDatasetRetrieval(catalog, {
          dataset: findDataset(catalog, values.dataset as string).name,
          embedding,
          split,
          ...(stride !== undefined && { stride }),
          ...(window !== undefined && { window }),
          onScene: (done, total, scene) => progress?.update(done, total, scene),
        });
      } finally {
        progress?.finish();
      }
    });
    writeLine(io.stdout, values.json ? JSON.stringify(report, null, 2) : formatRetrieval(report).join('\n'));
    return 0;
  },
});
