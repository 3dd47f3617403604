// Writes a pipeline report folder, <dataDir>/runs/<runId>/report/: index.html, report.json (the ReportData) and
// one CSV file per table. The files go to a sibling folder first, which replaces the report folder only when all
// are written, so a reader never sees a half-written report folder. readReport and parseReport read report.json
// back (the API's getReport), accepting only this app's report format and version.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import { runFolder } from '../engine/training/checkpoint';
import { reportCsvFiles } from './csvReport';
import { renderHtmlReport } from './htmlReport';
import { reportFormat, reportVersion, type ReportData } from '../../contract/report';

export const REPORT_HTML = 'index.html';
export const REPORT_JSON = 'report.json';

export function reportFolder(dataDir: string, runId: number): string {
  return join(runFolder(dataDir, runId), 'report');
}

/** Writes every report file; returns the paths written, by file name. */
export async function writeReport(folder: string, data: ReportData): Promise<Record<string, string>> {
  const partial = `${folder}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const files: Record<string, string> = {
    [REPORT_HTML]: renderHtmlReport(data),
    [REPORT_JSON]: JSON.stringify(data, null, 2) + '\n',
    ...reportCsvFiles(data),
  };
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(partial, name), text);
    await rm(folder, { recursive: true, force: true });
    await rename(partial, folder);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return Object.fromEntries(Object.keys(files).map((name) => [name, join(folder, name)]));
}

/** The report.json of a report folder. */
export async function readReport(folder: string): Promise<ReportData> {
  const file = join(folder, REPORT_JSON);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no report at ${file}`);
    throw error;
  }
  return parseReport(text, file);
}

/** A report.json's text as ReportData: JSON, this format, this version (an older report is refused by name). */
export function parseReport(text: string, file: string): ReportData {
  let data: Partial<ReportData>;
  try {
    data = JSON.parse(text) as Partial<ReportData>;
  } catch (error) {
    throw new ArgumentError(`${file}: expected JSON, ${(error as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || data.format !== reportFormat) {
    throw new ArgumentError(`${file}: expected format "${reportFormat}", got ${JSON.stringify(data?.format)}`);
  }
  if (data.version !== reportVersion) {
    throw new ArgumentError(
      `${file}: expected report version ${reportVersion}, got ${JSON.stringify(data.version)} (a report written by ${(data.version ?? 0) < reportVersion ? 'an older' : 'a newer'} EVGAP Studio; its HTML page still opens)`,
    );
  }
  return data as ReportData;
}
