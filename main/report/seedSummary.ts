// The report's tables from the seeds' results: every number becomes its mean ± std over the seeds that measured it
// (main/report/seedStatistics.ts), every Δ the paired difference against Base with its significance. Each stage's
// seeds have the same rows (the same heads, inputs, views and variants); rows are matched by their key, and a seed
// that lacks one is an error (it would mean the seeds ran different protocols).
import {
  anticipationMetricNames,
  segmentationMetricNames,
  type AblationRow,
  type AblationSection,
  type AnticipationDeltas,
  type AnticipationNumbers,
  type AnticipationSection,
  type NovelViewSection,
  type RetrievalChanceNumbers,
  type RetrievalNumbers,
  type RetrievalSection,
  type ScoreDeltas,
  type Scores,
  type SegmentationRow,
  type SegmentationSection,
} from '../../contract/report';
import type {
  SeedAblationRow,
  SeedAnticipation,
  SeedAnticipationNumbers,
  SeedRetrieval,
  SeedRetrievalNumbers,
  SeedScores,
  SeedSegmentation,
  SeedSegmentationRow,
} from '../pipeline/seedResults';
import { pairedDelta, seedStat } from './seedStatistics';

/** The same row in every seed's results, by key. */
function across<T>(seeds: readonly T[][], key: (row: T) => string, wanted: string, what: string): T[] {
  return seeds.map((rows, i) => {
    const row = rows.find((r) => key(r) === wanted);
    if (row === undefined) throw new Error(`${what}: seed #${i + 1} has no row ${wanted}`);
    return row;
  });
}

function checkSeeds(seeds: readonly number[], results: readonly unknown[], what: string): void {
  if (results.length === 0) throw new RangeError(`${what}: expected the results of at least one seed`);
  if (seeds.length !== results.length) throw new RangeError(`${what}: expected one result per seed (${seeds.length}), got ${results.length}`);
}

function scoreStats(rows: readonly SeedScores[]): Scores {
  return Object.fromEntries(segmentationMetricNames.map((m) => [m, seedStat(rows.map((r) => r[m]))])) as Scores;
}

function scoreDeltas(base: readonly SeedScores[], other: readonly SeedScores[]): ScoreDeltas {
  return Object.fromEntries(segmentationMetricNames.map((m) => [m, pairedDelta(base.map((r) => r[m]), other.map((r) => r[m]))])) as ScoreDeltas;
}

function retrievalStats(rows: readonly SeedRetrievalNumbers[]): RetrievalNumbers {
  const ks = Object.keys(rows[0]!.recallAt);
  return {
    recallAt: Object.fromEntries(ks.map((k) => [k, seedStat(rows.map((r) => r.recallAt[k] ?? null))])),
    medianRank: seedStat(rows.map((r) => r.medianRank)),
  };
}

/** Retrieval over the pre-training seeds (its numbers depend only on the encoders). */
export function summarizeRetrieval(seeds: readonly number[], results: readonly SeedRetrieval[]): RetrievalSection {
  checkSeeds(seeds, results, 'retrieval');
  const [first] = results as [SeedRetrieval];
  const chance = (numbers: SeedRetrievalNumbers): RetrievalChanceNumbers => ({ recallAt: { ...numbers.recallAt }, medianRank: numbers.medianRank });
  const means = results.map((r) => r.mean);
  const pairs = results.map((r) => r.pairs);
  const pairKey = (p: SeedRetrieval['pairs'][number]) => `${p.variant} ${p.egoView}-${p.exoView}`;
  return {
    seeds: [...seeds],
    split: first.split,
    window: first.window,
    stride: first.stride,
    ks: first.ks,
    scenes: first.scenes,
    mean: first.mean.map((row) => {
      const rows = across(means, (r) => r.variant, row.variant, 'retrieval');
      return { variant: row.variant, label: row.label, egoToExo: retrievalStats(rows.map((r) => r.egoToExo)), exoToEgo: retrievalStats(rows.map((r) => r.exoToEgo)) };
    }),
    chance: { egoToExo: chance(first.chance.egoToExo), exoToEgo: chance(first.chance.exoToEgo) },
    pairs: first.pairs.map((pair) => {
      const rows = across(pairs, pairKey, pairKey(pair), 'retrieval pairs');
      return { ...pair, egoToExo: retrievalStats(rows.map((r) => r.egoToExo)), exoToEgo: retrievalStats(rows.map((r) => r.exoToEgo)) };
    }),
  };
}

function segmentationRows(seedRows: readonly SeedSegmentationRow[][], what: string): SegmentationRow[] {
  const first = seedRows[0]!;
  const base = across(seedRows, (r) => r.input, 'base', what).map((r) => r.scores);
  return first.map((row) => {
    const rows = across(seedRows, (r) => r.input, row.input, what).map((r) => r.scores);
    return { input: row.input, label: row.label, scores: scoreStats(rows), delta: row.input === 'base' ? null : scoreDeltas(base, rows) };
  });
}

/** Table 2 (a block per head) and the novel-view rows over the heads' seeds. */
export function summarizeSegmentation(
  seeds: readonly number[],
  results: readonly SeedSegmentation[],
  novelView: { heldOutViews: string[]; head: string },
): { segmentation: SegmentationSection; novelView: NovelViewSection } {
  checkSeeds(seeds, results, 'segmentation');
  const [first] = results as [SeedSegmentation];
  const blocks = results.map((r) => r.heads);
  const views = results.map((r) => r.novelView);
  return {
    segmentation: {
      seeds: [...seeds],
      notes: first.notes,
      heads: first.heads.map((block) => {
        const same = across(blocks, (b) => b.head, block.head, 'segmentation');
        return {
          head: block.head,
          label: block.label,
          preset: block.preset,
          singleView: segmentationRows(same.map((b) => b.singleView), `${block.head} single-view`),
          twoView: segmentationRows(same.map((b) => b.twoView), `${block.head} two-view`),
        };
      }),
    },
    novelView: {
      seeds: [...seeds],
      heldOutViews: novelView.heldOutViews,
      head: novelView.head,
      rows: first.novelView.map((row) => {
        const rows = across(views, (r) => r.view, row.view, 'novel view');
        const base = rows.map((r) => r.base);
        const evgap = rows.map((r) => r.evgap);
        return { view: row.view, role: row.role, base: scoreStats(base), evgap: scoreStats(evgap), delta: scoreDeltas(base, evgap) };
      }),
    },
  };
}

/** Anticipation over the heads' seeds: Base, +EVGAP and the paired Δ per input. */
export function summarizeAnticipation(seeds: readonly number[], results: readonly SeedAnticipation[]): AnticipationSection {
  checkSeeds(seeds, results, 'anticipation');
  const stats = (rows: readonly SeedAnticipationNumbers[]) =>
    Object.fromEntries(anticipationMetricNames.map((m) => [m, seedStat(rows.map((r) => r[m]))])) as AnticipationNumbers;
  const deltas = (base: readonly SeedAnticipationNumbers[], other: readonly SeedAnticipationNumbers[]) =>
    Object.fromEntries(anticipationMetricNames.map((m) => [m, pairedDelta(base.map((r) => r[m]), other.map((r) => r[m]))])) as AnticipationDeltas;
  const rowsOf = results.map((r) => r.rows);
  return {
    seeds: [...seeds],
    notes: results[0]!.notes,
    rows: results[0]!.rows.map((row) => {
      const rows = across(rowsOf, (r) => r.input, row.input, 'anticipation');
      const base = rows.map((r) => r.base);
      const evgap = rows.map((r) => r.evgap);
      return { input: row.input, base: stats(base), evgap: stats(evgap), delta: deltas(base, evgap) };
    }),
  };
}

/** Table 1 over the heads' seeds, each row's Δ against Base. */
export function summarizeAblation(
  seeds: readonly number[],
  results: readonly SeedAblationRow[][],
  section: { notes: string[]; head: string },
): AblationSection {
  checkSeeds(seeds, results, 'ablation');
  const base = across(results, (r) => r.variant, 'base', 'ablation');
  return {
    seeds: [...seeds],
    notes: section.notes,
    head: section.head,
    rows: results[0]!.map((row): AblationRow => {
      const rows = across(results, (r) => r.variant, row.variant, 'ablation');
      const isBase = row.variant === 'base';
      return {
        variant: row.variant,
        label: row.label,
        singleView: scoreStats(rows.map((r) => r.singleView)),
        twoView: scoreStats(rows.map((r) => r.twoView)),
        singleViewDelta: isBase ? null : scoreDeltas(base.map((r) => r.singleView), rows.map((r) => r.singleView)),
        twoViewDelta: isBase ? null : scoreDeltas(base.map((r) => r.twoView), rows.map((r) => r.twoView)),
      };
    }),
  };
}
