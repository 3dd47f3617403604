// The report built from per-seed results: each table's numbers are mean ± std over its seeds (equal to a direct
// computation from the seeds' values), each Δ the paired per-seed difference with its significance, retrieval
// over the pre-training seeds, and a partial report carries only the stages (and seeds) that finished.
import { describe, expect, it } from 'vitest';
import { pipelineReport } from '../../../main/pipeline/pipelineReport';
import { summarizeSegmentation } from '../../../main/report/seedSummary';
import { sampleReportInput, sampleResults } from '../report/reportFixture';

const direct = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) };
};

describe('pipelineReport', () => {
  const report = pipelineReport(sampleReportInput());

  it('summarizes every segmentation number over the heads’ seeds', () => {
    const c2f = report.segmentation!.heads.find((b) => b.head === 'c2f-tcn')!;
    const frozen = c2f.singleView.find((r) => r.input === 'evgap-frozen')!;
    const expected = direct([31, 33, 29.5]);
    expect(frozen.scores.avg.mean).toBeCloseTo(expected.mean, 12);
    expect(frozen.scores.avg.std).toBeCloseTo(expected.std, 12);
    expect(frozen.scores.avg).toMatchObject({ n: 3, values: [31, 33, 29.5] });
    // The Δ against Base is over the per-seed differences (1, 2, 0.5), not a difference of means ± both spreads.
    const d = direct([1, 2, 0.5]);
    expect(frozen.delta!.avg.mean).toBeCloseTo(d.mean, 12);
    expect(frozen.delta!.avg.std).toBeCloseTo(d.std, 12);
    expect(frozen.delta!.avg.significant).toBe(false);
    expect(c2f.singleView.find((r) => r.input === 'evgap')!.delta!.avg).toMatchObject({ mean: 5, std: 0, significant: true });
    expect(c2f.singleView.find((r) => r.input === 'base')!.delta).toBeNull();
    expect(report.segmentation!.seeds).toEqual([1, 2, 3]);
  });

  it('summarizes novel views, anticipation and the ablation the same way', () => {
    const e1 = report.novelView!.rows.find((r) => r.view === 'e1')!;
    expect(e1.base.avg).toMatchObject({ mean: 21, std: 1, n: 3 });
    expect(e1.delta.avg).toMatchObject({ mean: 2, std: 0, significant: true });
    const v1 = report.novelView!.rows.find((r) => r.view === 'v1')!;
    expect(v1.evgap.edit).toEqual({ mean: null, std: null, n: 0, values: [null, null, null] });
    expect(v1.delta.edit.significant).toBeNull();
    expect(report.anticipation!.rows[0]!.delta.action).toMatchObject({ mean: 2, std: 0, significant: true });
    expect(report.anticipation!.rows[0]!.delta.verb).toMatchObject({ mean: 0, std: 0, significant: false });
    const random = report.ablation!.rows.find((r) => r.variant === 'random')!;
    expect(random.singleViewDelta!.avg.values).toEqual([-3, -3, 0]);
    expect(report.ablation!.rows.find((r) => r.variant === 'base')!.singleViewDelta).toBeNull();
  });

  it('summarizes retrieval over the pre-training seeds, here one: no spread', () => {
    expect(report.retrieval!.seeds).toEqual([1]);
    expect(report.retrieval!.mean[1]!.egoToExo.recallAt['1']).toEqual({ mean: 12, std: null, n: 1, values: [12] });
    expect(report.retrieval!.chance.egoToExo).toEqual({ recallAt: { '1': 1.5, '5': 4.5, '10': 7.5 }, medianRank: 38.5 });
  });

  it('names the pre-training runs, their loss curves and what the ablation’s rows are', () => {
    expect(report.runs).toEqual([{ seed: 1, step1: 8, step2: 9, step2FromRandom: 10 }]);
    expect(report.losses.map((c) => [c.runId, c.label, c.points.length])).toEqual([
      [8, 'Step 1 (pairs)', 3],
      [9, 'Step 2 (groups)', 2],
      [10, 'Step 2 from random init (ablation)', 2],
    ]);
    expect(report.ablation!.notes[1]).toBe('+step1: the step-1 encoder; +step2: step 2 alone, from a random init (run 10, 150 steps); +step1+step2: the step-2 encoder initialized from step 1');
    const seeded = pipelineReport(sampleReportInput({ pretrainingSeeds: [1, 2], pretrained: [{ seed: 1, step1: 8, step2: 9, step2FromRandom: null }, { seed: 2, step1: 11, step2: null, step2FromRandom: null }] }));
    expect(seeded.losses.map((c) => c.label)).toEqual(['Step 1 (pairs), seed 1', 'Step 2 (groups), seed 1', 'Step 1 (pairs), seed 2']);
  });

  it('records the seeds and states the rule', () => {
    expect(report).toMatchObject({ version: 3, status: 'completed', failedStage: null, error: null, seed: 1 });
    expect(report.spread).toMatchObject({ seeds: [1, 2, 3], pretrainingSeeds: [1], confidence: 0.95 });
    expect(report.spread.rule).toContain('paired two-sided t-test at 95 %');
  });

  it('makes a partial report of the stages and seeds that finished', () => {
    const results = sampleResults();
    const partial = pipelineReport(
      sampleReportInput({
        status: 'failed',
        failedStage: 'anticipation',
        error: 'anticipation: Error: out of memory',
        results: { ...results, anticipation: results.anticipation.slice(0, 2), ablation: [] },
      }),
    );
    expect(partial).toMatchObject({ status: 'failed', failedStage: 'anticipation', error: 'anticipation: Error: out of memory', ablation: null });
    expect(partial.anticipation!.seeds).toEqual([1, 2]);
    expect(partial.anticipation!.rows[0]!.base.action).toMatchObject({ mean: 30.5, n: 2 });
    expect(partial.segmentation!.seeds).toEqual([1, 2, 3]);
    const none = pipelineReport(sampleReportInput({ status: 'failed', failedStage: 'pretrain-step1', results: { retrieval: [], segmentation: [], anticipation: [], ablation: [] } }));
    expect([none.retrieval, none.segmentation, none.novelView, none.anticipation, none.ablation]).toEqual([null, null, null, null, null]);
  });

  it('refuses seeds whose results have different rows', () => {
    const [one, two] = sampleResults().segmentation;
    const broken = { ...two!, heads: two!.heads.slice(1) };
    expect(() => summarizeSegmentation([1, 2], [one!, broken], { heldOutViews: [], head: 'C2F-TCN' })).toThrow('segmentation: seed #2 has no row c2f-tcn');
    expect(() => summarizeSegmentation([1, 2], [one!], { heldOutViews: [], head: 'C2F-TCN' })).toThrow('expected one result per seed (2), got 1');
  });
});
