// Which report files may be served or opened: plain names with a report extension inside the run's report folder,
// found from a URL however the page that opened it resolved getReport's htmlPath (file://, a dev server, Windows).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReportFileName, reportFile, reportFileOfUrl, reportInfo, ReportFileError } from '../../../main/runs/reportFiles';

let dataDir: string;
let folder: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'evgap-reports-'));
  folder = join(dataDir, 'runs', '7', 'report');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'index.html'), '<!doctype html>');
  writeFileSync(join(dataDir, 'outside.html'), 'outside');
  symlinkSync(join(dataDir, 'outside.html'), join(folder, 'escape.html'));
  mkdirSync(join(dataDir, 'runs', '8', 'report'), { recursive: true });
  writeFileSync(join(dataDir, 'runs', '8', 'report', 'report.json'), '{"tables": [');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('report file names', () => {
  it.each(['index.html', 'report.json', 'retrieval-R1.csv', 'loss_curve.svg', 'Figure.2.PNG'])('accepts %s', (name) => {
    expect(isReportFileName(name)).toBe(true);
  });

  it.each(['notes.txt', 'index', '.index.html', '../index.html', 'figures/a.png', 'a b.html', 'index.html\0.png', ''])('refuses %j', (name) => {
    expect(isReportFileName(name)).toBe(false);
  });

  it('finds a file only inside the run\'s report folder', () => {
    expect(reportFile(dataDir, '7', 'index.html')).toBe(join(folder, 'index.html'));
    expect(reportFile(dataDir, '7', 'escape.html')).toBeNull();
    expect(reportFile(dataDir, '7', 'report.json')).toBeNull();
    expect(reportFile(dataDir, '07', 'index.html')).toBeNull();
  });
});

describe('reportFileOfUrl', () => {
  it.each([
    'file:///reports/7/index.html',
    'file:///C:/reports/7/index.html',
    'http://localhost:5173/reports/7/index.html',
    'https://127.0.0.1:9000/reports/7/index%2Ehtml',
  ])('finds the report file of %s', (url) => {
    expect(reportFileOfUrl(dataDir, url)).toBe(join(folder, 'index.html'));
  });

  it.each(['file:///reports/7/escape.html', 'file:///reports/7/..%2Findex.html', 'https://example.com/', 'not a url', 'file:///reports/x/index.html'])(
    'finds nothing for %s',
    (url) => {
      expect(reportFileOfUrl(dataDir, url)).toBeNull();
    },
  );
});

describe('reportInfo', () => {
  it('names the HTML report by URL path and has null data without report.json', () => {
    expect(reportInfo(dataDir, 7)).toEqual({ runId: 7, htmlPath: '/reports/7/index.html', data: null, problem: null });
  });

  it('refuses a report.json that is not JSON, naming the file', () => {
    expect(() => reportInfo(dataDir, 8)).toThrow(ReportFileError);
    expect(() => reportInfo(dataDir, 8)).toThrow(join(dataDir, 'runs', '8', 'report', 'report.json'));
  });
});
