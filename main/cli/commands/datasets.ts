// `evgap datasets`: the datasets in the catalog, as a table or as JSON.
import { resolveDataDir } from '../../paths';
import { defineCommand, writeLine } from '../commandLine';
import { withCatalog } from '../openCatalog';

const help = `Usage: evgap datasets [--json] [--data DIR]

List the datasets in the catalog with their counts of scenes, views, tracks, segments and runs.

Options:
  --json       Print a JSON array of dataset summaries instead of a table
  --data DIR   Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help   Show this help`;

export const datasetsCommand = defineCommand({
  name: 'datasets',
  summary: 'List the datasets in the catalog',
  help,
  options: { json: { type: 'boolean' } },
  positionals: [],
  async run({ values }, io) {
    const dataDir = resolveDataDir(values.data, io.env);
    const datasets = await withCatalog(dataDir, (catalog) => catalog.listDatasets());
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(datasets, null, 2));
      return 0;
    }
    if (datasets.length === 0) {
      writeLine(io.stdout, `No datasets in ${dataDir}. Try \`evgap demo\` to generate one.`);
      return 0;
    }
    const header = ['ID', 'NAME', 'FORMAT', 'SCENES', 'VIEWS', 'TRACKS', 'SEGMENTS', 'RUNS', 'ROOT'];
    const rows = datasets.map((d) =>
      [d.id, d.name, d.format, d.sceneCount, d.viewCount, d.trackCount, d.segmentCount, d.runCount, d.root].map(String),
    );
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    for (const row of [header, ...rows]) {
      writeLine(io.stdout, row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
    }
    return 0;
  },
});
