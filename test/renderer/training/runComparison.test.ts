// Runs compared: overlaid by step or by fraction of each run, and their values at the last step all of them logged.
import { describe, expect, it } from 'vitest';
import { compareAtCommonSteps, comparisonChart } from '../../../renderer/src/screens/training/runComparison';

const a = { label: '#1', points: [{ x: 0, y: 5 }, { x: 5, y: 4 }, { x: 10, y: 3 }], totalSteps: 10 };
const b = { label: '#2', points: [{ x: 0, y: 6 }, { x: 10, y: 4 }, { x: 20, y: 2 }], totalSteps: 20 };
const c = { label: '#3', points: [{ x: 0, y: 7 }, { x: 10, y: 1 }], totalSteps: 10 };

describe('comparisonChart', () => {
  it('overlays the curves at their steps, one colour each', () => {
    const chart = comparisonChart([a, b, c], 'step');
    expect(chart.series.map((s) => s.label)).toEqual(['#1', '#2', '#3']);
    expect(chart.series[1]!.points.map((p) => p.x)).toEqual([0, 10, 20]);
    expect(new Set(chart.series.map((s) => s.color)).size).toBe(3);
    expect(chart.title).toBe('loss: #1 vs #2 vs #3');
  });

  it('lines runs of different lengths up start to end on the fraction axis', () => {
    const chart = comparisonChart([a, b], 'fraction');
    expect(chart.series[0]!.points.map((p) => p.x)).toEqual([0, 0.5, 1]);
    expect(chart.series[1]!.points.map((p) => p.x)).toEqual([0, 0.5, 1]);
    expect(chart.xLabel).toBe('fraction of the run');
  });

  it('uses the last logged step as the length of a run whose length is unknown', () => {
    const chart = comparisonChart([{ ...a, totalSteps: null }, b], 'fraction');
    expect(chart.series[0]!.points.map((p) => p.x)).toEqual([0, 0.5, 1]);
  });
});

describe('compareAtCommonSteps', () => {
  it('counts the steps every run logged and compares at the last of them', () => {
    expect(compareAtCommonSteps([a.points, b.points])).toEqual({ commonSteps: 2, atLastCommon: { step: 10, values: [3, 4] } });
    expect(compareAtCommonSteps([a.points, b.points, c.points])).toEqual({ commonSteps: 2, atLastCommon: { step: 10, values: [3, 4, 1] } });
  });

  it('says when the runs share no step', () => {
    expect(compareAtCommonSteps([[{ x: 1, y: 1 }], [{ x: 2, y: 1 }]])).toEqual({ commonSteps: 0, atLastCommon: null });
    expect(compareAtCommonSteps([])).toEqual({ commonSteps: 0, atLastCommon: null });
  });
});
