// `evgap info DATASET`: one dataset in detail (scenes, views by role, tracks, segments, runs), as text or JSON.
import { resolveDataDir } from '../../paths';
import { defineCommand, writeLine } from '../commandLine';
import { datasetReport, findDataset, formatReport } from '../datasetReport';
import { withCatalog } from '../openCatalog';

const help = `Usage: evgap info DATASET [--json] [--data DIR]

Show one dataset: its scenes, their views by role (ego/exo) with sync offsets, each view's track (feature frames,
dimension and rate; video size and duration), segments and the runs on it. DATASET is a name or a numeric id.

Options:
  --json       Print the report as JSON (dataset, totals, scenes with views and segments, runs)
  --data DIR   Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help   Show this help`;

export const infoCommand = defineCommand({
  name: 'info',
  summary: 'Show one dataset: scenes, views, tracks, segments, runs',
  help,
  options: { json: { type: 'boolean' } },
  positionals: ['DATASET'],
  async run({ values, positionals }, io) {
    const report = await withCatalog(resolveDataDir(values.data, io.env), (catalog) =>
      datasetReport(catalog, findDataset(catalog, positionals[0]!).id),
    );
    writeLine(io.stdout, values.json ? JSON.stringify(report, null, 2) : formatReport(report).join('\n'));
    return 0;
  },
});
