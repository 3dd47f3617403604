// `evgap segmentation-metrics --gt DIR --pred DIR`: temporal action segmentation metrics (F1@10/25/50, Edit,
// accuracy, their average) of MS-TCN-style label folders, computed as MS-TCN's eval.py computes them.
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { LabelFileError, readLabelFolder, readMappingFile } from '../../eval/segmentation/labelFiles';
import { segmentationMetrics, type SegmentationMetrics } from '../../eval/segmentation/metrics';
import { readCommand, UsageError, writeLine, type CliIO, type CommandDefinition, type CommandOptions, type CommandSpec } from '../commandLine';

const COMMAND = 'segmentation-metrics';

const help = `Usage: evgap ${COMMAND} --gt DIR --pred DIR [--background LABEL ...] [--mapping FILE] [--json]

Score temporal action segmentation predictions as MS-TCN's eval.py does: F1@10, F1@25, F1@50 (segment TP/FP/FN
summed over all videos), Edit (normalized Levenshtein of segment labels, averaged over videos), Acc (all frames,
background included) and Avg (their mean), in percent. Both folders hold one text file per video under the same
name, one label per line, one line per frame.

Options:
  --gt DIR            Ground-truth label folder
  --pred DIR          Prediction label folder (a file of the same name and length per ground-truth file)
  --background LABEL  A label whose segments F1 and Edit ignore; repeat for several (default: none;
                      MS-TCN's eval.py ignores "background")
  --mapping FILE      MS-TCN mapping.txt ("index label" per line); every label must be in it
  --json              Print {f1_10, f1_25, f1_50, edit, acc, avg} as JSON
  -h, --help          Show this help`;

function requiredFlag(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${name} DIR`, COMMAND);
  return value;
}

function formatText(metrics: SegmentationMetrics, background: readonly string[]): string[] {
  const rows: [string, number][] = [
    ['F1@10', metrics.f1_10],
    ['F1@25', metrics.f1_25],
    ['F1@50', metrics.f1_50],
    ['Edit', metrics.edit],
    ['Acc', metrics.acc],
    ['Avg', metrics.avg],
  ];
  return [
    `${metrics.videos} videos, ${metrics.frames} frames; segments: ${metrics.gtSegments} ground truth, ${metrics.predSegments} predicted; background: ${background.length > 0 ? background.join(', ') : 'none'}`,
    ...rows.map(([name, value]) => `${name.padEnd(6)} ${value.toFixed(4)}`),
  ];
}

const definition = {
  name: COMMAND,
  summary: 'Score segmentation label folders: F1@10/25/50, Edit, Acc (MS-TCN eval)',
  help,
  options: {
    gt: { type: 'string' },
    pred: { type: 'string' },
    background: { type: 'string', multiple: true },
    mapping: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
} as const satisfies CommandDefinition<CommandOptions>;

function score(args: string[], io: Pick<CliIO, 'stdout' | 'stderr'>): number {
  const parsed = readCommand(definition, args, io);
  if (parsed === null) return 0;
  const { values } = parsed;
  const gtDir = requiredFlag('gt', values.gt);
  const predDir = requiredFlag('pred', values.pred);
  const background = values.background ?? [];
  const vocabulary = values.mapping === undefined ? undefined : readMappingFile(values.mapping);
  const unknownBackground = vocabulary ? background.filter((label) => !vocabulary.includes(label)) : [];
  if (unknownBackground.length > 0) {
    throw new UsageError(`--background: ${JSON.stringify(unknownBackground[0])} is not a label of ${values.mapping}`, COMMAND);
  }

  const metrics = segmentationMetrics(readLabelFolder(gtDir, predDir, { vocabulary }), { background });
  const withoutSegments = metrics.perVideo.filter((video) => video.gtSegments === 0 && video.predSegments === 0);
  if (withoutSegments.length > 0) {
    writeLine(
      io.stderr,
      `evgap: warning: Edit is undefined (NaN, as in eval.py) for videos with only background in both files: ${withoutSegments.map((v) => v.name).join(', ')}`,
    );
  }
  if (values.json) {
    const { f1_10, f1_25, f1_50, edit, acc, avg } = metrics;
    writeLine(io.stdout, JSON.stringify({ f1_10, f1_25, f1_50, edit, acc, avg }, null, 2));
  } else {
    writeLine(io.stdout, formatText(metrics, background).join('\n'));
  }
  return 0;
}

/**
 * Runs the command in-process and returns its exit code: 0 on success, 1 when a file or its contents are wrong,
 * 2 for a wrong command line. Failures print one line on stderr, as the rest of the CLI does.
 */
export function runSegmentationMetrics(argv: string[], io: Pick<CliIO, 'stdout' | 'stderr'>): number {
  try {
    return score(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(io.stderr, `evgap: ${error.message}`);
      writeLine(io.stderr, `Run \`evgap ${COMMAND} --help\` for usage.`);
      return 2;
    }
    if (error instanceof LabelFileError || error instanceof NotFoundError || error instanceof ArgumentError) {
      writeLine(io.stderr, `evgap: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** Not made with defineCommand: it runs synchronously, in-process, with its own exit codes (runSegmentationMetrics). */
export const segmentationMetricsCommand: CommandSpec = {
  name: definition.name,
  summary: definition.summary,
  help,
  async run(args, io) {
    return runSegmentationMetrics(args, io);
  },
};
