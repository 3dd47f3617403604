// Which runs the Results screen offers and which it opens first: runs that exist for their results (the
// pipeline, evaluations) before pre-training runs, newest first.
import type { RunSummary } from '../../../../contract/api';

const producesResults = (run: RunSummary): boolean => !run.kind.startsWith('pretrain');

/** Runs whose results are the point of the run come first: pipeline and evaluation runs, newest first. */
export function resultRunsFirst(runs: readonly RunSummary[]): RunSummary[] {
  return [...runs].sort((a, b) => Number(producesResults(b)) - Number(producesResults(a)) || b.id - a.id);
}

/** The run to show first: the newest completed pipeline or evaluation run, else the newest such run, else any. */
export function defaultResultRun(runs: readonly RunSummary[]): RunSummary | null {
  const ordered = resultRunsFirst(runs);
  return ordered.find((run) => producesResults(run) && run.status === 'completed') ?? ordered[0] ?? null;
}
