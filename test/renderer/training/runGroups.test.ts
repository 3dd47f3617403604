// The runs list's rows: a pipeline's runs under it when it is opened, oldest first; a run whose pipeline is not
// listed on its own; the tag filter keeping a pipeline's runs with it; every tag once, sorted.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../contract/api';
import { runRows, runTags } from '../../../renderer/src/screens/training/runGroups';

const run = (id: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  datasetId: 1,
  kind: 'pretrain-step1',
  status: 'completed',
  backend: 'wasm',
  seed: 1,
  startedAt: null,
  finishedAt: null,
  name: null,
  tags: [],
  parentRunId: null,
  quick: false,
  error: null,
  ...extra,
});

// Newest first, as listRuns answers: a standalone run, a pipeline (10) with three runs, and a run of a pipeline (2) not listed.
const runs = [
  run(14),
  run(13, { kind: 'pretrain-step2', parentRunId: 10, tags: ['b'] }),
  run(12, { kind: 'pretrain-step2', parentRunId: 10 }),
  run(11, { parentRunId: 10 }),
  run(10, { kind: 'pipeline', tags: ['a', 'sweep'] }),
  run(3, { parentRunId: 2, tags: ['sweep'] }),
];
const shown = (rows: ReturnType<typeof runRows>) => rows.map((row) => [row.run.id, row.depth, row.childCount]);

describe('runRows', () => {
  it('folds a pipeline’s runs under it until it is opened, then lists them oldest first', () => {
    expect(shown(runRows(runs, new Set()))).toEqual([[14, 0, 0], [10, 0, 3], [3, 0, 0]]);
    expect(shown(runRows(runs, new Set([10])))).toEqual([[14, 0, 0], [10, 0, 3], [11, 1, 0], [12, 1, 0], [13, 1, 0], [3, 0, 0]]);
    expect(runRows(runs, new Set([10]))[1]!.expanded).toBe(true);
  });

  it('keeps the runs with a tag, a pipeline with all its runs, a tagged run alone when its pipeline is not tagged', () => {
    expect(shown(runRows(runs, new Set([10]), 'sweep'))).toEqual([[10, 0, 3], [11, 1, 0], [12, 1, 0], [13, 1, 0], [3, 0, 0]]);
    expect(shown(runRows(runs, new Set([10]), 'b'))).toEqual([[13, 0, 0]]);
    expect(runRows(runs, new Set(), 'none')).toEqual([]);
  });
});

describe('runTags', () => {
  it('lists every tag once, sorted', () => {
    expect(runTags(runs)).toEqual(['a', 'b', 'sweep']);
  });
});
