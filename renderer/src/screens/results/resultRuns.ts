// The Results screen's run selector: how a run with a report reads (id, dataset, seeds, and whether it was a quick
// check or stopped early) and which one opens first (the newest completed one).
import type { ReportSummary } from '../../../../contract/report';

/** "#12 demo · 3 seeds · quick · failed in ablation". */
export function reportLabel(summary: ReportSummary): string {
  const parts = [`#${summary.runId} ${summary.dataset}`, summary.seeds > 1 ? `${summary.seeds} seeds` : '1 seed'];
  if (summary.quick) parts.push('quick');
  if (summary.status === 'failed') parts.push(`failed${summary.failedStage ? ` in ${summary.failedStage}` : ''}`);
  if (summary.status === 'cancelled') parts.push('cancelled');
  return parts.join(' · ');
}

/** The report to open first: the newest completed one, else the newest of all. */
export function defaultReport(reports: readonly ReportSummary[]): ReportSummary | null {
  const newest = [...reports].sort((a, b) => b.runId - a.runId);
  return newest.find((r) => r.status === 'completed') ?? newest[0] ?? null;
}
