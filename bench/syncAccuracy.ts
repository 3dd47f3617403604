// Measures the sync estimate against the demo's ground truth (`ground-truth.json` in the demo folder holds every
// view's true offset; the catalog starts at those offsets). Three cases per scene:
// - as generated: every view at its true offset, so any change proposed is a change to a correct view;
// - a few off: up to MAX_FEW_OFF views (any, the first ego view included) moved by a seeded non-zero shift in
//   [−MAX_SHIFT, MAX_SHIFT], the others left right;
// - all off: every view but the first ego view moved by a seeded shift in [−MAX_SHIFT, MAX_SHIFT] (some by 0). Most
//   views are wrong, so scene time itself is unknown and only offsets relative to each other can be right: the
//   suggestion is scored against the truth moved by the constant that most views agree on (the most common
//   suggested − true), and so is each current offset.
// For each: how often the suggestion equals the truth, is within one frame, and how many changes it proposes to
// views that are right. Also: how often the pair panel (syncProfile of the first ego view and each exo view) names
// another offset than the table, and the confidence against the outcome (per band of stated probability, the share
// of suggestions that were right). Offsets are put back as they were at the end. Run from a build:
// `npm run bench:sync -- --data DIR [--max-offset N] [--seed N] [--json]` (DIR from `evgap demo --data DIR --no-pipeline`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SyncSuggestion } from '../contract/api';
import { Catalog } from '../main/catalog/Catalog';
import { SeededRandom } from '../main/random/seededRandom';
import { catalogFile } from '../main/paths';
import { SyncChecker } from '../main/sync/syncProfiles';

const MAX_SHIFT = 6;
const MAX_FEW_OFF = 4;

interface GroundTruth {
  scenes: { name: string; views: { name: string; syncOffsetFrames: number }[] }[];
}

interface Tally {
  views: number;
  exact: number;
  withinOne: number;
  correctViews: number;
  movedCorrect: number;
  /** Confidence of each change proposed to a correct view. */
  falseMoveConfidence: number[];
  /** The joint fit's fractional offset minus the truth, per view. */
  fitErrors: number[];
}

const emptyTally = (): Tally => ({ views: 0, exact: 0, withinOne: 0, correctViews: 0, movedCorrect: 0, falseMoveConfidence: [], fitErrors: [] });
/** Stated probability bands of the calibration table, and per band: suggestions, sum of stated, of them right. */
const bands = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0001];
const calibration = bands.slice(0, -1).map(() => ({ count: 0, right: 0, stated: 0 }));

const { values } = parseArgs({
  options: { data: { type: 'string' }, 'max-offset': { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
});
if (!values.data) throw new Error('--data DIR is required (a data folder holding the demo dataset)');
const maxOffset = Number(values['max-offset'] ?? 30);
const random = new SeededRandom(Number(values.seed ?? 1));
const catalog = Catalog.open(catalogFile(values.data));
const dataset = catalog.findDatasetByName('demo');
if (!dataset) throw new Error(`no dataset "demo" in ${values.data}`);
const root = catalog.getDataset(dataset.id).dataset.root;
const truth = JSON.parse(readFileSync(join(root, 'ground-truth.json'), 'utf8')) as GroundTruth;
const checker = new SyncChecker(catalog);
const tallies = { asGenerated: emptyTally(), fewOff: emptyTally(), allOff: emptyTally() };
let pairPanelDisagrees = 0;
let pairPanelTotal = 0;
const started = performance.now();

/** The most common difference suggested − true (ties: the smallest), the scene-time shift most views agree on. */
function agreedShift(suggestions: readonly SyncSuggestion[], trueOffset: (name: string) => number): number {
  const votes = new Map<number, number>();
  for (const s of suggestions) votes.set(s.suggestedOffset - trueOffset(s.viewName), (votes.get(s.suggestedOffset - trueOffset(s.viewName)) ?? 0) + 1);
  return [...votes].sort((a, b) => b[1] - a[1] || Math.abs(a[0]) - Math.abs(b[0]))[0]![0];
}

/** Scores suggestions against the truth, moved by `shift` frames (scene time agreed by the views). */
function score(tally: Tally, suggestions: readonly SyncSuggestion[], trueOffset: (name: string) => number, shift = 0): string[] {
  const wrong: string[] = [];
  for (const s of suggestions) {
    const target = trueOffset(s.viewName) + shift;
    const suggested = s.suggestedOffset;
    const current = s.currentOffset;
    tally.views++;
    if (s.estimatedOffset !== null) tally.fitErrors.push(s.estimatedOffset - target);
    const band = calibration[bands.findIndex((upper) => s.confidence < upper) - 1]!;
    band.count++;
    band.stated += s.confidence;
    if (suggested === target) {
      tally.exact++;
      band.right++;
    } else wrong.push(`${s.viewName} ${suggested} (truth ${target}, now ${current}, fit ${s.estimatedOffset?.toFixed(2) ?? 'none'}, p ${s.confidence.toFixed(2)})`);
    if (Math.abs(suggested - target) <= 1) tally.withinOne++;
    if (current === target) {
      tally.correctViews++;
      if (suggested !== current) {
        tally.movedCorrect++;
        tally.falseMoveConfidence.push(s.confidence);
      }
    }
  }
  return wrong;
}

const details: string[] = [];
try {
  for (const summary of catalog.getDataset(dataset.id).scenes) {
    const detail = catalog.getScene(summary.id);
    const sceneTruth = truth.scenes.find((s) => s.name === detail.scene.name);
    if (!sceneTruth) throw new Error(`scene ${detail.scene.name} is not in ground-truth.json`);
    const trueOffset = (name: string) => sceneTruth.views.find((v) => v.name === name)!.syncOffsetFrames;
    const resetAll = () => detail.views.forEach((view) => catalog.setSyncOffset(view.id, trueOffset(view.name)));
    resetAll();

    const asGenerated = checker.suggest(detail.scene.id, maxOffset).suggestions;
    const wrong = [`as generated [${score(tallies.asGenerated, asGenerated, trueOffset).join('; ')}]`];
    const ego = detail.views.find((v) => v.role === 'ego')!;
    for (const exo of detail.views.filter((v) => v.role === 'exo')) {
      const panel = checker.profile(ego.id, exo.id, maxOffset).estimate.suggestions.find((s) => s.viewId === exo.id)!;
      pairPanelTotal++;
      if (panel.suggestedOffset !== asGenerated.find((s) => s.viewId === exo.id)!.suggestedOffset) pairPanelDisagrees++;
    }

    const order = detail.views.map((view) => ({ view, key: random.uniform() })).sort((a, b) => a.key - b.key);
    for (const { view } of order.slice(0, 1 + random.int(MAX_FEW_OFF))) {
      const shift = 1 + random.int(MAX_SHIFT) * (random.uniform() < 0.5 ? -1 : 1);
      catalog.setSyncOffset(view.id, trueOffset(view.name) + shift);
    }
    wrong.push(`a few off [${score(tallies.fewOff, checker.suggest(detail.scene.id, maxOffset).suggestions, trueOffset).join('; ')}]`);
    resetAll();

    for (const view of detail.views.slice(1)) catalog.setSyncOffset(view.id, trueOffset(view.name) + random.int(2 * MAX_SHIFT + 1) - MAX_SHIFT);
    const allOff = checker.suggest(detail.scene.id, maxOffset).suggestions;
    wrong.push(`all off [${score(tallies.allOff, allOff, trueOffset, agreedShift(allOff, trueOffset)).join('; ')}]`);
    resetAll();
    details.push(`${detail.scene.name} wrong: ${wrong.join('; ')}`);
  }
} finally {
  checker.close();
  catalog.close();
}

const seconds = (performance.now() - started) / 1000;
const percent = (n: number, of: number) => `${n}/${of} (${((100 * n) / Math.max(1, of)).toFixed(0)} %)`;
const range = (xs: number[]) => (xs.length === 0 ? '–' : `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`);
if (values.json) {
  console.log(JSON.stringify({ maxOffset, seconds, pairPanelDisagrees, pairPanelTotal, ...tallies, calibration }, null, 2));
} else {
  for (const line of details) console.log(line);
  for (const [name, t] of Object.entries(tallies)) {
    const rms = Math.sqrt(t.fitErrors.reduce((a, e) => a + e * e, 0) / Math.max(1, t.fitErrors.length));
    console.log(
      `${name}: exact ${percent(t.exact, t.views)}, within one frame ${percent(t.withinOne, t.views)}, ` +
        `changes proposed to correct views ${percent(t.movedCorrect, t.correctViews)} (their confidence ${range(t.falseMoveConfidence)}); ` +
        `fit error RMS ${rms.toFixed(2)}, largest ${Math.max(0, ...t.fitErrors.map(Math.abs)).toFixed(2)} frames`,
    );
  }
  console.log('calibration (all cases): stated probability band: suggestions, mean stated, share right');
  calibration.forEach(({ count, right, stated }, b) => {
    if (count > 0) console.log(`  [${bands[b]!.toFixed(2)}, ${Math.min(1, bands[b + 1]!).toFixed(2)}): ${count}, ${(stated / count).toFixed(3)}, ${(right / count).toFixed(3)}`);
  });
  console.log(`pair panel names another offset than the table: ${percent(pairPanelDisagrees, pairPanelTotal)}; ${seconds.toFixed(0)} s (loaded machine)`);
}
