// Serves the runs' reports: GET/HEAD /reports/<runId>/<file>, only files of <dataDir>/runs/<runId>/report/ (html,
// json, csv, svg, png; no subfolders, nothing that resolves outside it). Reports are self-contained pages without
// scripts, so the host's usual Content-Security-Policy (inline styles, no inline scripts) fits them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REPORT_EXTENSIONS, reportFile } from '../runs/reportFiles';
import { sendFile, sendText } from './sendFile';

/** `segments` are the path segments after "reports". */
export async function serveReport(dataDir: string, segments: string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [runIdText, fileName, ...rest] = segments;
  const file = runIdText === undefined || fileName === undefined || rest.length > 0 ? null : reportFile(dataDir, runIdText, fileName);
  if (file === null || !(await sendFile(req, res, file))) {
    sendText(res, 404, `not found: report files are /reports/<runId>/<name> with a name ending in ${REPORT_EXTENSIONS.join(', ')}`);
  }
}
