// The runs list as rows: each pipeline followed by the pre-training runs it started (collapsed unless opened), a
// run whose pipeline is not listed standing alone; optionally only the runs with one tag (a pipeline's runs follow
// it). Newest first, as listRuns answers; a pipeline's runs oldest first, in the order they ran.
import type { RunSummary } from '../../../../contract/api';

export interface RunRow {
  run: RunSummary;
  /** 1 for a run shown under its pipeline. */
  depth: 0 | 1;
  /** A pipeline's runs (listed ones), 0 for other runs. */
  childCount: number;
  /** Whether a pipeline's runs are shown under it. */
  expanded: boolean;
}

/** Every tag of the runs, sorted. */
export function runTags(runs: readonly RunSummary[]): string[] {
  return [...new Set(runs.flatMap((run) => run.tags))].sort();
}

/** The rows to show: runs with `tag` (all when null), grouped; `expanded` holds the pipelines shown open. */
export function runRows(runs: readonly RunSummary[], expanded: ReadonlySet<number>, tag: string | null = null): RunRow[] {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const children = new Map<number, RunSummary[]>();
  for (const run of runs) {
    if (run.parentRunId !== null && byId.has(run.parentRunId)) children.set(run.parentRunId, [...(children.get(run.parentRunId) ?? []), run]);
  }
  const tagged = (run: RunSummary) => tag === null || run.tags.includes(tag);
  const rows: RunRow[] = [];
  for (const run of runs) {
    const parent = run.parentRunId === null ? undefined : byId.get(run.parentRunId);
    // A run under a listed pipeline is shown with it: with the pipeline's tag, or alone when only it has the tag.
    if (parent !== undefined && (tagged(parent) || !tagged(run))) continue;
    if (!tagged(run)) continue;
    const own = [...(children.get(run.id) ?? [])].sort((a, b) => a.id - b.id);
    const open = expanded.has(run.id);
    rows.push({ run, depth: 0, childCount: own.length, expanded: open });
    if (open) for (const child of own) rows.push({ run: child, depth: 1, childCount: 0, expanded: false });
  }
  return rows;
}
