// `evgap sync suggest DATASET [--scene NAME] [--max-offset N] [--json]`: the scene sync estimate the Sync panel shows
// (main/sync/syncEstimate.ts), per scene and view: the current offset, the suggested one and its probability.
import { defaultSyncRange, sceneFps, syncLimits, type SyncEstimate } from '../../../contract/api';
import { NotFoundError } from '../../../contract/errors';
import { resolveDataDir } from '../../paths';
import { SyncChecker } from '../../sync/syncProfiles';
import { defineCommand, expectPositionals, intFlag, UsageError, writeLine, type CliIO, type ParsedCommand } from '../commandLine';
import { findDataset } from '../datasetReport';
import { withCatalog } from '../openCatalog';
import { progressPrinter } from '../progress';

const help = `Usage: evgap sync suggest DATASET [--scene NAME] [--max-offset N] [--json] [--data DIR]

Estimate every view's sync offset from its features (all pairs of views correlated, fitted jointly), the same
estimate the Sync panel shows: per scene and view, the current offset, the suggested one and the probability
that the suggestion is right. A suggestion equal to the current offset means "in sync". The view in the middle
of the fit keeps its offset (the reference): a shift of the whole scene is never suggested.

Options:
  --scene NAME      Only this scene (default: every scene of the dataset)
  --max-offset N    Candidate offsets ±N frames around each view's offset (default: 2 s of frames, at most ${syncLimits.maxOffset})
  --json            Print {scenes: [{scene, reference, views: [{view, current, suggested, confidence}]}]}
  --data DIR        Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help        Show this help`;

export interface SceneSuggestion {
  scene: string;
  reference: string;
  views: { view: string; current: number; suggested: number; confidence: number }[];
}

function sceneSuggestion(scene: string, estimate: SyncEstimate): SceneSuggestion {
  return {
    scene,
    reference: estimate.reference.viewName,
    views: estimate.suggestions.map((s) => ({ view: s.viewName, current: s.currentOffset, suggested: s.suggestedOffset, confidence: s.confidence })),
  };
}

/** The table a person reads: one line per view, changes marked. */
export function formatSuggestions(scenes: readonly SceneSuggestion[]): string[] {
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  return scenes.flatMap(({ scene, reference, views }) => {
    const width = Math.max(4, ...views.map((v) => v.view.length));
    return [
      `${scene} (reference ${reference})`,
      `  ${'view'.padEnd(width)}  ${'now'.padStart(5)}  ${'suggested'.padStart(9)}  ${'confidence'.padStart(10)}`,
      ...views.map(({ view, current, suggested, confidence }) => {
        const verdict = suggested === current ? 'in sync' : `move ${signed(suggested - current)}`;
        const percent = `${(100 * confidence).toFixed(0)} %`;
        return `  ${view.padEnd(width)}  ${signed(current).padStart(5)}  ${signed(suggested).padStart(9)}  ${percent.padStart(10)}  ${verdict}`;
      }),
    ];
  });
}

const syncOptions = { scene: { type: 'string' }, 'max-offset': { type: 'string' }, json: { type: 'boolean' } } as const;

async function runSync({ values, positionals }: ParsedCommand<typeof syncOptions>, io: CliIO): Promise<number> {
  const [what, ...rest] = positionals;
  if (what !== 'suggest') throw new UsageError(what ? `unknown sync action ${JSON.stringify(what)} (suggest)` : 'missing what to do (suggest)', 'sync');
  expectPositionals('sync', rest, ['DATASET']);
  const maxOffset = intFlag('sync', 'max-offset', values['max-offset'], { min: 1, max: syncLimits.maxOffset });
  const scenes = await withCatalog(resolveDataDir(values.data, io.env), (catalog) => {
    const dataset = findDataset(catalog, rest[0]!);
    const all = catalog.getDataset(dataset.id).scenes;
    const chosen = values.scene === undefined ? all : all.filter((scene) => scene.name === values.scene);
    if (chosen.length === 0) {
      throw new NotFoundError(`no scene named ${JSON.stringify(values.scene)} in dataset ${dataset.name} (scenes: ${all.map((s) => s.name).join(', ')})`);
    }
    const checker = new SyncChecker(catalog);
    const progress = progressPrinter(io.stderr, 'Estimating sync');
    try {
      return chosen.map((scene, index) => {
        progress.update(index, chosen.length, scene.name);
        const range = maxOffset ?? defaultSyncRange(sceneFps(catalog.getScene(scene.id).views));
        return sceneSuggestion(scene.name, checker.suggest(scene.id, range));
      });
    } finally {
      progress.finish();
      checker.close();
    }
  });
  writeLine(io.stdout, values.json ? JSON.stringify({ scenes }, null, 2) : formatSuggestions(scenes).join('\n'));
  return 0;
}

export const syncCommand = defineCommand({
  name: 'sync',
  summary: "Suggest each view's sync offset from its features (the Sync panel's estimate)",
  help,
  options: syncOptions,
  // An action word (suggest) and its DATASET.
  positionals: 'own',
  run: runSync,
});
