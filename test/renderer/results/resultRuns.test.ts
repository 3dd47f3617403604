// The Results screen's runs: result-producing runs first, and the newest completed one opened first.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../contract/api';
import { defaultResultRun, resultRunsFirst } from '../../../renderer/src/screens/results/resultRuns';

const run = (id: number, kind: string, status: RunSummary['status']): RunSummary => ({
  id,
  kind,
  status,
  datasetId: 1,
  backend: 'cpu',
  seed: 1,
  startedAt: null,
  finishedAt: null,
});

describe('result runs', () => {
  const runs = [run(1, 'pretrain-step1', 'completed'), run(2, 'pipeline', 'completed'), run(3, 'pipeline', 'running'), run(4, 'pretrain-step2', 'completed')];

  it('lists pipeline and evaluation runs before pre-training runs, newest first', () => {
    expect(resultRunsFirst(runs).map((r) => r.id)).toEqual([3, 2, 4, 1]);
  });

  it('opens the newest completed result run, else the newest run', () => {
    expect(defaultResultRun(runs)?.id).toBe(2);
    expect(defaultResultRun([run(1, 'pretrain-step1', 'completed'), run(5, 'pretrain-step1', 'running')])?.id).toBe(5);
    expect(defaultResultRun([])).toBeNull();
  });
});
