// `evgap runs [DATASET] [--tag TAG] [--json]`: the runs in the catalog with their names, tags and quick marks, a
// pipeline's runs grouped under it, as text or JSON.
import { runLabelLimits } from '../../../contract/runLabels';
import { resolveDataDir } from '../../paths';
import { defineCommand, UsageError, writeLine } from '../commandLine';
import { findDataset } from '../datasetReport';
import { withCatalog } from '../openCatalog';
import { formatRunList } from '../runList';

const help = `Usage: evgap runs [DATASET] [--tag TAG] [--json] [--data DIR]

List the runs, newest first: id, kind, status, "quick" for a quick check (a quick pipeline and the runs it
started), the run's name and tags, seed, backend and start time. The pre-training runs a pipeline started are
listed under it. Name and tag runs with \`evgap run name\` and \`evgap run tag\`; \`evgap run show RUN\` prints a run's
full resolved config.

Options:
  --tag TAG    Only the runs with this tag (tags are compared exactly)
  --json       Print a JSON array of run summaries (id, kind, status, name, tags, parentRunId, quick, …)
  --data DIR   Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help   Show this help`;

export const runsCommand = defineCommand({
  name: 'runs',
  summary: 'List the runs with their names and tags, a pipeline\'s runs under it',
  help,
  options: { tag: { type: 'string' }, json: { type: 'boolean' } },
  // DATASET is optional.
  positionals: 'own',
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`, 'runs');
    if (values.tag !== undefined && (values.tag === '' || values.tag.length > runLabelLimits.tagLength)) {
      throw new UsageError(`--tag: expected a tag of 1 to ${runLabelLimits.tagLength} characters, got ${JSON.stringify(values.tag)}`, 'runs');
    }
    const runs = await withCatalog(resolveDataDir(values.data, io.env), (catalog) => {
      const datasetId = positionals[0] === undefined ? undefined : findDataset(catalog, positionals[0]).id;
      return catalog.listRuns(datasetId, values.tag);
    });
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      writeLine(io.stdout, values.tag === undefined ? 'No runs.' : `No runs tagged ${JSON.stringify(values.tag)}.`);
      return 0;
    }
    writeLine(io.stdout, formatRunList(runs).join('\n'));
    return 0;
  },
});
