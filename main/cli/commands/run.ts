// `evgap run show RUN [--json]`, `evgap run name RUN NAME`, `evgap run tag RUN +TAG -TAG …`: one run's full
// resolved config, its name, its tags (the same names and tags the Training screen shows and edits).
import { runNameProblem, tagProblem } from '../../../contract/runLabels';
import type { JsonValue } from '../../../contract/schema';
import { storedSamplingConfig } from '../../engine/sampling/savedSampling';
import { storedMix } from '../../engine/training/datasetMix';
import { resolveDataDir } from '../../paths';
import { defineCommand, expectPositionals, UsageError, writeLine, type CliIO, type ParsedCommand } from '../commandLine';
import { withCatalog } from '../openCatalog';
import { formatConfig, runLine } from '../runList';

const help = `Usage: evgap run show RUN [--json] [--data DIR]
       evgap run name RUN NAME [--data DIR]
       evgap run tag RUN [+]TAG ... [-TAG ...] [--data DIR]

One run of the catalog (RUN is its id, as \`evgap runs\` lists them):
  show   Its status, name, tags, the pipeline that started it, and its full resolved config in sections
         (encoder, sampling, step 1, step 2, training with precision and seed, dataset mix, saved sampling config;
         a pipeline's request, seeds and settings). --json prints the run with its config as stored.
  name   Names the run (quote a name with spaces; "" clears it).
  tag    Adds (TAG or +TAG) and removes (-TAG) tags. A tag is one word of letters, digits and . _ : / + -,
         starting with a letter or digit.

Options:
  --json       show: print JSON
  --data DIR   Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help   Show this help`;

/** `-tag` looks like a flag to the option parser: tag edits are taken out of the arguments first. */
const isTagRemoval = (arg: string) => /^-[A-Za-z0-9]/.test(arg) && arg !== '-h';

function runId(text: string | undefined): number {
  if (text === undefined || !/^[1-9]\d*$/.test(text)) throw new UsageError(`RUN: expected a run id (an integer >= 1), got ${JSON.stringify(text ?? '')}`, 'run');
  return Number(text);
}

/** Whether `arg` is a tag removal of `evgap run tag` (then it must not reach the flag parser). */
const isTagRemovalOf = (arg: string, args: readonly string[]) => args.includes('tag') && isTagRemoval(arg);

const runOptions = { json: { type: 'boolean' } } as const;

async function runRun({ values, positionals, args }: ParsedCommand<typeof runOptions>, io: CliIO): Promise<number> {
  const removals = args.filter((arg) => isTagRemovalOf(arg, args));
  const [action, ...rest] = positionals;
  const dataDir = resolveDataDir(values.data, io.env);
  switch (action) {
    case 'show': {
      expectPositionals('run', rest, ['RUN']);
      const id = runId(rest[0]);
      const run = await withCatalog(dataDir, (catalog) => catalog.getRun(id));
      if (values.json) {
        writeLine(io.stdout, JSON.stringify(run, null, 2));
        return 0;
      }
      const mix = storedMix(run.config);
      const sampling = storedSamplingConfig(run.config) ?? storedSamplingConfig((run.config as { request?: unknown } | null)?.request);
      const lines = [
        runLine(run),
        ...(run.parentRunId !== null ? [`  started by pipeline #${run.parentRunId}`] : []),
        ...(run.finishedAt !== null ? [`  finished ${run.finishedAt}`] : []),
        ...(run.error !== null ? [`  error: ${run.error}`] : []),
        ...(mix !== null ? [`  step 1 on ${mix.datasets.map((d) => d.name).join(', ')}`] : []),
        ...(sampling !== null ? [`  saved sampling config “${sampling.name}” (id ${sampling.id})`] : []),
        'Config:',
        ...formatConfig(run.config as JsonValue),
      ];
      writeLine(io.stdout, lines.join('\n'));
      return 0;
    }
    case 'name': {
      expectPositionals('run', rest, ['RUN', 'NAME']);
      const id = runId(rest[0]);
      const name = rest[1]!.trim();
      const problem = runNameProblem(name);
      if (problem !== null) throw new UsageError(`NAME: ${problem}`, 'run');
      const run = await withCatalog(dataDir, (catalog) => catalog.updateRunLabels(id, { name }));
      writeLine(io.stdout, runLine(run));
      return 0;
    }
    case 'tag': {
      const [text, ...additions] = rest;
      const id = runId(text);
      const add = additions.map((tag) => tag.replace(/^\+/, ''));
      const remove = removals.map((tag) => tag.slice(1));
      if (add.length + remove.length === 0) throw new UsageError('missing tags: +TAG to add, -TAG to remove', 'run');
      for (const tag of [...add, ...remove]) {
        const problem = tagProblem(tag);
        if (problem !== null) throw new UsageError(`TAG: ${problem}`, 'run');
      }
      const run = await withCatalog(dataDir, (catalog) => catalog.updateRunLabels(id, { addTags: add, removeTags: remove }));
      writeLine(io.stdout, runLine(run));
      return 0;
    }
    default:
      throw new UsageError(action ? `unknown run action ${JSON.stringify(action)} (show, name, tag)` : 'missing what to do (show, name, tag)', 'run');
  }
}

export const runCommand = defineCommand({
  name: 'run',
  summary: 'Show one run\'s full config; name it; add and remove its tags',
  help,
  options: runOptions,
  // An action word and its own arguments.
  positionals: 'own',
  unparsed: isTagRemovalOf,
  run: runRun,
});
