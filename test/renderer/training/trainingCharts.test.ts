// The live charts' contents: total and final-layer loss, one auxiliary curve per earlier layer in layer order,
// the logit scale and the throughput.
import { describe, expect, it } from 'vitest';
import { curvesFromPoints } from '../../../renderer/src/screens/training/runCurves';
import { trainingCharts } from '../../../renderer/src/screens/training/trainingCharts';

const metrics = (step: number, values: Record<string, number>) =>
  Object.entries(values).map(([name, value]) => ({ step, name, value }));

describe('trainingCharts', () => {
  const curves = curvesFromPoints([
    ...metrics(1, { loss: 5, loss_final: 4, loss_aux_1: 0.6, loss_aux_2: 0.5, loss_aux_10: 0.1, logit_scale: 2.72, clips_per_s: 300, lr: 5e-4 }),
    ...metrics(2, { loss: 4.5, loss_final: 3.7, loss_aux_1: 0.55, loss_aux_2: 0.45, loss_aux_10: 0.1, logit_scale: 2.8, clips_per_s: 310, lr: 5e-4 }),
  ]);
  const charts = trainingCharts(curves);

  it('draws total loss and the final layer’s loss', () => {
    expect(charts.loss.series.map((s) => [s.label, s.points.length])).toEqual([['total L', 2], ['final layer L(H)', 2]]);
  });

  it('draws one auxiliary curve per layer, in numeric layer order', () => {
    expect(charts.auxiliary.series.map((s) => s.label)).toEqual(['layer 1', 'layer 2', 'layer 10']);
    expect(new Set(charts.auxiliary.series.map((s) => s.color)).size).toBe(3);
  });

  it('draws the logit scale and the throughput, and nothing for metrics not logged yet', () => {
    expect(charts.logitScale.series[0]!.points).toEqual([{ x: 1, y: 2.72 }, { x: 2, y: 2.8 }]);
    expect(charts.throughput.series[0]!.points.map((p) => p.y)).toEqual([300, 310]);
    expect(trainingCharts({}).loss.series).toEqual([]);
  });
});
