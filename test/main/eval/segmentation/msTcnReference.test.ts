// The segmentation metrics against numbers printed by MS-TCN's own eval.py on 40 random label folders (fixture
// made once with the original script; see its "source" field). eval.py prints 4 decimals, so agreement is to 5e-5.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { segmentationMetrics } from '../../../../main/eval/segmentation/metrics';

type Expected = { f1_10: number | null; f1_25: number | null; f1_50: number | null; edit: number | null; acc: number | null };

const reference = JSON.parse(readFileSync(new URL('./fixtures/msTcnEvalReference.json', import.meta.url), 'utf8')) as {
  background: string[];
  cases: { videos: { name: string; gt: string; pred: string }[]; expected: Expected }[];
};

describe('segmentationMetrics against MS-TCN eval.py output', () => {
  it('has cases with an undefined (NaN) Edit and with F1 strictly between 0 and 100', () => {
    expect(reference.cases.some((c) => c.expected.edit === null)).toBe(true);
    expect(reference.cases.some((c) => c.expected.f1_50! > 0 && c.expected.f1_50! < 100)).toBe(true);
  });

  reference.cases.forEach((testCase, index) => {
    it(`case ${index}: ${testCase.videos.length} videos`, () => {
      const videos = testCase.videos.map((v) => ({ name: v.name, gt: v.gt.split(' '), pred: v.pred.split(' ') }));
      const metrics = segmentationMetrics(videos, { background: reference.background });
      for (const key of ['f1_10', 'f1_25', 'f1_50', 'edit', 'acc'] as const) {
        const expected = testCase.expected[key];
        if (expected === null) expect(metrics[key], key).toBeNaN();
        else expect(Math.abs(metrics[key] - expected), `${key}: ${metrics[key]} vs ${expected}`).toBeLessThanOrEqual(5.01e-5);
      }
    });
  });
});
