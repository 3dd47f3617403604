// The numbers Compare shows: each metric's last finite value, training rows per step a run has (a pipeline fills
// both from its runs), a pipeline's headline evaluation numbers as the mean over seeds, and how values read.
import { describe, expect, it } from 'vitest';
import type { EvaluationRow } from '../../../contract/api';
import { evaluationRows, finalValues, formatMetric, trainingRows } from '../../../renderer/src/screens/training/compareMetrics';

describe('finalValues', () => {
  it('takes each metric’s value at the last step that logged a finite one', () => {
    expect(
      finalValues([
        { step: 1, name: 'loss', value: 3 },
        { step: 3, name: 'loss', value: Number.NaN },
        { step: 2, name: 'loss', value: 2 },
        { step: 2, name: 'lr', value: 0.1 },
      ]),
    ).toEqual({ loss: { step: 2, value: 2 }, lr: { step: 2, value: 0.1 } });
  });
});

describe('trainingRows', () => {
  it('has a row per step and shown metric any run has, a value per run', () => {
    const step1 = { 'step 1': { loss: { step: 30, value: 1.5 }, lr: { step: 30, value: 1e-3 } } };
    const pipeline = { 'step 1': { loss: { step: 24, value: 2 } }, 'step 2': { loss: { step: 12, value: 0.5 }, bias: { step: 12, value: -9 } } };
    expect(trainingRows([step1, pipeline])).toEqual([
      { group: 'training', label: 'step 1 · loss', values: [1.5, 2], steps: [30, 24] },
      { group: 'training', label: 'step 2 · loss', values: [null, 0.5], steps: [null, 12] },
      { group: 'training', label: 'step 2 · bias', values: [null, -9], steps: [null, 12] },
    ]);
  });
});

describe('evaluationRows', () => {
  const row = (task: string, view: string, variant: string, metric: string, value: number, seed = 1): EvaluationRow => ({ runId: 1, task, view, variant, metric, value, seed });
  it('keeps the headline numbers, each the mean over seeds, in the report’s order, and leaves the rest out', () => {
    const a = [
      row('anticipation', 'ego', 'base', 'avg', 12),
      row('retrieval', 'mean', 'step2', 'ego2exo.R@1', 80, 1),
      row('retrieval', 'mean', 'step2', 'ego2exo.R@1', 90, 2),
      row('retrieval', 'mean', 'chance', 'ego2exo.R@1', 1),
      row('retrieval', 'e1-v1', 'step2', 'ego2exo.R@1', 50),
      row('retrieval', 'mean', 'step2', 'ego2exo.R@5', 99),
      row('segmentation:c2f-tcn', 'single-view', 'evgap', 'avg', 40),
      row('segmentation:c2f-tcn', 'single-view', 'evgap', 'edit', 41),
      row('segmentation:c2f-tcn', 'e1', 'evgap', 'avg', 30),
      row('ablation', 'single-view', 'step1', 'avg', 33),
    ];
    const b = [row('anticipation', 'ego', 'base', 'avg', 14), row('retrieval', 'mean', 'step2', 'ego2exo.R@1', 70)];
    expect(evaluationRows([a, b])).toEqual([
      { group: 'evaluation', label: 'retrieval ego→exo R@1 · step2', values: [85, 70] },
      { group: 'evaluation', label: 'segmentation c2f-tcn single-view avg · evgap', values: [40, null] },
      { group: 'evaluation', label: 'anticipation ego avg · base', values: [12, 14] },
    ]);
    expect(evaluationRows([[], []])).toEqual([]);
  });
});

describe('formatMetric', () => {
  it('reads four significant digits, tiny values in exponent form, a missing one as a dash', () => {
    expect(formatMetric(1.234567)).toBe('1.235');
    expect(formatMetric(85)).toBe('85');
    expect(formatMetric(0.00012)).toBe('1.20e-4');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(null)).toBe('—');
  });
});
