// How a long shell task (import, export, demo generation) shows its progress: a fraction for the taskbar / dock
// progress bar and a window title such as "EVGAP Studio — Importing Assembly101: 42% (reading P01_view3)".
// Plain functions, tested without Electron.

export interface TaskProgress {
  done: number;
  total: number;
  what: string;
}

/** done/total clamped to [0, 1]; 2 (Electron's indeterminate bar) when the total is not known yet. */
export function progressFraction({ done, total }: Pick<TaskProgress, 'done' | 'total'>): number {
  if (!(total > 0) || !Number.isFinite(done)) return 2;
  return Math.min(1, Math.max(0, done / total));
}

const MAX_DETAIL = 60;

export function progressTitle(appName: string, task: string, progress: TaskProgress | null): string {
  if (progress === null) return `${appName} — ${task}…`;
  const fraction = progressFraction(progress);
  const percent = fraction > 1 ? '' : `: ${Math.floor(fraction * 100)}%`;
  const what = progress.what.length > MAX_DETAIL ? `${progress.what.slice(0, MAX_DETAIL - 1)}…` : progress.what;
  return `${appName} — ${task}${percent}${what ? ` (${what})` : ''}`;
}
