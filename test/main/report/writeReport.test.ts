// Writing and reading a report folder: index.html, report.json (the data, as getReport returns it) and one CSV
// per table, replaced as a whole; CSV fields quoted per RFC 4180, missing values empty.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { reportCsvFiles } from '../../../main/report/csvReport';
import { readReport, reportFolder, writeReport } from '../../../main/report/writeReport';
import { sampleReport } from './reportFixture';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'evgap-report-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('writeReport', () => {
  it('writes the HTML page, report.json and the CSV files into <data>/runs/<id>/report', async () => {
    const folder = reportFolder(dataDir, 7);
    expect(folder).toBe(join(dataDir, 'runs', '7', 'report'));
    const written = await writeReport(folder, sampleReport());
    expect(readdirSync(folder).sort()).toEqual(
      ['ablation.csv', 'anticipation.csv', 'index.html', 'losses.csv', 'novel-view.csv', 'report.json', 'retrieval.csv', 'segmentation.csv'],
    );
    expect(written['index.html']).toBe(join(folder, 'index.html'));
    expect(readdirSync(join(dataDir, 'runs', '7'))).toEqual(['report']);
    expect(await readReport(folder)).toEqual(sampleReport());
  });

  it('replaces an earlier report as a whole', async () => {
    const folder = reportFolder(dataDir, 7);
    await writeReport(folder, sampleReport());
    writeFileSync(join(folder, 'stale.csv'), 'old');
    await writeReport(folder, { ...sampleReport(), dataset: 'other' });
    expect(existsSync(join(folder, 'stale.csv'))).toBe(false);
    expect((await readReport(folder)).dataset).toBe('other');
  });

  it('reads back only a pipeline report', async () => {
    await expect(readReport(join(dataDir, 'none'))).rejects.toThrow(NotFoundError);
    const folder = join(dataDir, 'other');
    await writeReport(folder, sampleReport());
    writeFileSync(join(folder, 'report.json'), JSON.stringify({ format: 'something-else' }));
    await expect(readReport(folder)).rejects.toThrow(ArgumentError);
  });
});

describe('reportCsvFiles', () => {
  const files = reportCsvFiles(sampleReport());

  it('has one header row and one row per table row, CRLF line ends', () => {
    expect(files['ablation.csv']!.split('\r\n')[0]).toBe(
      'variant,single_f1_10,single_f1_25,single_f1_50,single_edit,single_acc,single_avg,two_f1_10,two_f1_25,two_f1_50,two_edit,two_acc,two_avg',
    );
    expect(files['ablation.csv']!.split('\r\n')[2]).toBe('random,30,29,28,27,31,27,31,30,29,28,32,28');
    expect(files['retrieval.csv']!.split('\r\n').slice(0, 4)).toEqual([
      'pair,variant,ego2exo_R@1,ego2exo_R@5,ego2exo_R@10,ego2exo_medianRank,exo2ego_R@1,exo2ego_R@5,exo2ego_R@10,exo2ego_medianRank',
      'mean,raw,2,6,10,38,2,6,10,38',
      'mean,step2,12,36,60,28,11,33,55,29',
      'mean,chance,1.5,4.5,7.5,38.5,1.5,4.5,7.5,38.5',
    ]);
  });

  it('leaves a missing value empty and quotes fields with commas or quotes', () => {
    expect(files['novel-view.csv']!.split('\r\n')[5]).toBe('v1,exo,evgap,27,26,25,,28,24');
    const losses = reportCsvFiles({ ...sampleReport(), losses: [{ runId: 1, label: 'a, "b"', points: [{ step: 1, loss: 0.5 }] }] })['losses.csv'];
    expect(losses).toBe('run,curve,step,loss\r\n1,"a, ""b""",1,0.5\r\n');
  });
});
