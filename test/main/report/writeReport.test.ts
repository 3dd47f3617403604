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

  it('reads back only a pipeline report of this version', async () => {
    await expect(readReport(join(dataDir, 'none'))).rejects.toThrow(NotFoundError);
    const folder = join(dataDir, 'other');
    await writeReport(folder, sampleReport());
    writeFileSync(join(folder, 'report.json'), JSON.stringify({ format: 'something-else' }));
    await expect(readReport(folder)).rejects.toThrow(ArgumentError);
    writeFileSync(join(folder, 'report.json'), JSON.stringify({ ...sampleReport(), version: 2 }));
    await expect(readReport(folder)).rejects.toThrow(/expected report version 3, got 2 \(a report written by an older EVGAP Studio; its HTML page still opens\)/);
    writeFileSync(join(folder, 'report.json'), '{"format": ');
    await expect(readReport(folder)).rejects.toThrow(/expected JSON/);
  });
});

describe('reportCsvFiles', () => {
  const files = reportCsvFiles(sampleReport());
  const lines = (name: string) => files[name]!.split('\r\n');

  it('has one line per table row and metric with mean, std, n, the paired Δ and every seed’s value; CRLF line ends', () => {
    expect(lines('segmentation.csv')[0]).toBe('head,protocol,input,metric,mean,std,n,delta,delta_std,significant,seeds,values');
    // C2F-TCN single-view Base Avg over seeds 1, 2, 3 is 30, 31, 29; +EVGAP* is 31, 33, 29.5 (Δ 1, 2, 0.5).
    expect(lines('segmentation.csv')).toContain('c2f-tcn,single-view,base,avg,30,1,3,,,,1;2;3,30;31;29');
    expect(lines('segmentation.csv')).toContain('c2f-tcn,single-view,evgap-frozen,avg,31.1667,1.7559,3,1.1667,0.7638,false,1;2;3,31;33;29.5');
    expect(lines('segmentation.csv')).toContain('c2f-tcn,single-view,evgap,avg,35,1,3,5,0,true,1;2;3,35;36;34');
    expect(lines('ablation.csv')[0]).toBe('protocol,variant,metric,mean,std,n,delta,delta_std,significant,seeds,values');
    expect(lines('ablation.csv')).toContain('single-view,random,avg,28,1,3,-2,1.7321,false,1;2;3,27;28;29');
    expect(lines('retrieval.csv').slice(0, 3)).toEqual([
      'pair,variant,direction,metric,mean,std,n,seeds,values',
      'mean,raw,ego2exo,R@1,2,,1,1,2',
      'mean,raw,ego2exo,R@5,6,,1,1,6',
    ]);
    expect(lines('retrieval.csv')).toContain('mean,chance,ego2exo,R@1,1.5,,,,');
  });

  it('leaves a missing value empty and quotes fields with commas or quotes', () => {
    expect(lines('novel-view.csv')).toContain('v1,exo,evgap,edit,,,0,,,,1;2;3,;;');
    const losses = reportCsvFiles({ ...sampleReport(), losses: [{ runId: 1, label: 'a, "b"', points: [{ step: 1, loss: 0.5 }] }] })['losses.csv'];
    expect(losses).toBe('run,curve,step,loss\r\n1,"a, ""b""",1,0.5\r\n');
  });
});
