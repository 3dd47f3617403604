// How runs read in the runs list and the controls: a label (its name when it has one), times, duration, progress,
// and which of pause / resume / cancel a run in a given status accepts.
import type { RunAction, RunDetail, RunStatus, RunSummary } from '../../../../contract/api';

/** "#12 lr sweep" for a named run, "#12 pretrain-step1" otherwise. */
export const runLabel = (run: Pick<RunSummary, 'id' | 'kind'> & { name?: string | null }): string => `#${run.id} ${run.name ?? run.kind}`;

/** The controls a run in this status accepts. */
export function runActions(status: RunStatus): RunAction[] {
  switch (status) {
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'queued':
      return ['cancel'];
    default:
      return [];
  }
}

export const isActive = (status: RunStatus): boolean => status === 'running' || status === 'paused' || status === 'queued';

/** "2026-11-29 18:04:12" (UTC, as the catalog stores it) from an ISO timestamp; "—" if none. */
export function formatTime(timestamp: string | null): string {
  if (timestamp === null) return '—';
  const date = parseTimestamp(timestamp);
  return date === null ? timestamp : date.toISOString().slice(0, 19).replace('T', ' ');
}

/** "11-29 18:04:12" (UTC): the runs list's compact form; "—" if none. */
export function formatShortTime(timestamp: string | null): string {
  const full = formatTime(timestamp);
  return /^\d{4}-/.test(full) ? full.slice(5) : full;
}

/** Wall-clock length of a run: to its end, or to `now` while it has not ended; null before it started. */
export function runSeconds(run: Pick<RunSummary, 'startedAt' | 'finishedAt'>, now: Date): number | null {
  const start = run.startedAt === null ? null : parseTimestamp(run.startedAt);
  if (start === null) return null;
  const end = run.finishedAt === null ? now : parseTimestamp(run.finishedAt);
  return end === null ? null : Math.max(0, (end.getTime() - start.getTime()) / 1000);
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

function parseTimestamp(timestamp: string): Date | null {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Where a run imported from a PyTorch job ran ("PyTorch 2.3, 8 processes on cuda …"); null for the app's own runs. */
export function ranElsewhere(run: Pick<RunDetail, 'backend' | 'backendReport'>): string | null {
  const report = run.backendReport;
  if (run.backend !== 'pytorch' || typeof report !== 'object' || report === null || Array.isArray(report)) return null;
  return typeof report.details === 'string' ? report.details : 'PyTorch';
}

/** The run's planned number of steps, from its stored config (null when the config does not say). */
export function plannedSteps(run: Pick<RunDetail, 'kind' | 'config'>): number | null {
  const config = run.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return null;
  const section = config[run.kind === 'pretrain-step2' ? 'step2' : 'step1'];
  if (typeof section !== 'object' || section === null || Array.isArray(section)) return null;
  return typeof section.steps === 'number' ? section.steps : null;
}
