// Where a run's report lives (<dataDir>/runs/<runId>/report/: index.html, report.json and the files they refer to)
// and which of its files may be served: a flat folder of html, json, csv, svg and png files, named plainly, never
// a path that climbs out of it (also through symbolic links).
import { readFileSync, realpathSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import type { ReportInfo, RunSummary } from '../../contract/api';
import { ArgumentError, RemoteError } from '../../contract/errors';
import type { ReportData, ReportStatus, ReportSummary } from '../../contract/report';
import { parseReport } from '../report/writeReport';

export const REPORT_EXTENSIONS: readonly string[] = ['.html', '.json', '.csv', '.svg', '.png'];

/** A report file exists but cannot be read as what it claims to be. */
export class ReportFileError extends RemoteError {
  override name = 'ReportFileError';
}

/** The run's folder as engine/training/checkpoint.ts lays it out (runs/<runId>/), and its report subfolder. */
export function reportFolder(dataDir: string, runId: number): string {
  return join(dataDir, 'runs', String(runId), 'report');
}

/** The URL path under which the host serves a report file. */
export function reportUrlPath(runId: number, fileName: string): string {
  return `/reports/${runId}/${encodeURIComponent(fileName)}`;
}

/** Whether `fileName` may name a report file: a plain name (no folders) with a served extension. */
export function isReportFileName(fileName: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(fileName) && REPORT_EXTENSIONS.includes(extname(fileName).toLowerCase());
}

/**
 * The absolute path of a run's report file, or null when the run id or name is not one a report has, or the file
 * is missing or resolves outside the run's report folder.
 */
export function reportFile(dataDir: string, runIdText: string, fileName: string): string | null {
  if (!/^[1-9][0-9]{0,15}$/.test(runIdText) || !isReportFileName(fileName)) return null;
  const folder = reportFolder(dataDir, Number(runIdText));
  try {
    const real = realpathSync(join(folder, fileName));
    return real.startsWith(realpathSync(folder) + sep) ? real : null;
  } catch {
    return null;
  }
}

/**
 * The report file a URL points at (any scheme; its path ends in /reports/<runId>/<name>, as getReport's htmlPath
 * resolves against the page that opens it), or null. For the Electron shell, which has no host to serve it.
 */
export function reportFileOfUrl(dataDir: string, url: string): string | null {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  const match = /\/reports\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (match === null) return null;
  try {
    return reportFile(dataDir, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
  } catch {
    return null;
  }
}

/** What getReport answers: the HTML report's URL path when it exists, and report.json's tables (null without one). */
export function reportInfo(dataDir: string, runId: number): ReportInfo {
  const html = reportFile(dataDir, String(runId), 'index.html');
  const htmlPath = html === null ? null : reportUrlPath(runId, 'index.html');
  const read = readReportJson(dataDir, runId);
  if (read === null) return { runId, htmlPath, data: null, problem: null };
  return { runId, htmlPath, data: read.data, problem: read.problem };
}

/** The run as the Results screen's selector lists it, or null when it has no report. */
export function reportSummary(dataDir: string, run: RunSummary): ReportSummary | null {
  const read = readReportJson(dataDir, run.id);
  if (read === null) return null;
  // A report of another version is still listed (its HTML page opens), from the fields every version has.
  const loose = (read.data ?? read.raw) as Partial<ReportData> & { status?: ReportStatus };
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    runId: run.id,
    datasetId: run.datasetId,
    dataset: text(loose.dataset) ?? '?',
    status: loose.status === 'failed' || loose.status === 'cancelled' ? loose.status : 'completed',
    failedStage: text(loose.failedStage),
    error: text(loose.error),
    quick: loose.quick === true,
    preset: text(loose.preset) ?? '?',
    seeds: Array.isArray(loose.spread?.seeds) ? loose.spread.seeds.length : 1,
    createdAt: text(loose.createdAt) ?? run.finishedAt ?? run.startedAt ?? '',
    problem: read.problem,
  };
}

/** report.json of a run: its data, or the problem that keeps it from being read as this version's report; null without one. */
function readReportJson(dataDir: string, runId: number): { data: ReportData | null; raw: unknown; problem: string | null } | null {
  const file = join(reportFolder(dataDir, runId), 'report.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ReportFileError(`${file}: could not be read (${(error as Error).message})`);
  }
  try {
    return { data: parseReport(text, file), raw: null, problem: null };
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    let raw: unknown = null;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ReportFileError(error.message);
    }
    return { data: null, raw, problem: error.message };
  }
}
