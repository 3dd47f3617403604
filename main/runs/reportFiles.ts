// Where a run's report lives (<dataDir>/runs/<runId>/report/: index.html, report.json and the files they refer to)
// and which of its files may be served: a flat folder of html, json, csv, svg and png files, named plainly, never
// a path that climbs out of it (also through symbolic links).
import { readFileSync, realpathSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import type { ReportInfo } from '../../contract/api';
import type { JsonValue } from '../../contract/schema';
import { RemoteError } from '../../contract/errors';

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

/** What getReport answers: the HTML report's URL path when it exists, and report.json's data (null without one). */
export function reportInfo(dataDir: string, runId: number): ReportInfo {
  const folder = reportFolder(dataDir, runId);
  const html = reportFile(dataDir, String(runId), 'index.html');
  const htmlPath = html === null ? null : reportUrlPath(runId, 'index.html');
  return { runId, htmlPath, data: reportData(join(folder, 'report.json')) };
}

function reportData(file: string): JsonValue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ReportFileError(`${file}: could not be read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ReportFileError(`${file}: expected JSON, ${(error as Error).message}`);
  }
}
