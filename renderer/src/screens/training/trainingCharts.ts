// What each live training chart draws, from a run's curves: total loss (with the final layer's loss L(H)), each
// earlier layer's weighted auxiliary loss w·L(h_l) (eqs. 3–4), the logit scale t = exp(s), and throughput in
// clips per second. Plain data; lineChart.svelte.ts hands it to chart.js.
import { auxiliaryLayer, type CurvePoint, type CurveSet } from './runCurves';

export interface LineSeries {
  label: string;
  points: readonly CurvePoint[];
  color: string;
  dashed?: boolean;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
}

/** Distinguishable on the dark theme; the first two are the theme's accent and the ego colour. */
const seriesColors = ['#5aa9e6', '#e0a458', '#7cc08a', '#c792ea', '#e5636b', '#4fd1c5', '#f6e05e', '#a0aec0'] as const;

export const colorAt = (index: number): string => seriesColors[index % seriesColors.length]!;

export interface TrainingCharts {
  loss: LineChartSpec;
  auxiliary: LineChartSpec;
  logitScale: LineChartSpec;
  throughput: LineChartSpec;
}

export function trainingCharts(curves: CurveSet): TrainingCharts {
  const series = (name: string, label: string, color: string, dashed = false): LineSeries[] => {
    const points = curves[name];
    return points && points.length > 0 ? [{ label, points, color, dashed }] : [];
  };
  const auxiliary = Object.keys(curves)
    .map((name) => ({ name, layer: auxiliaryLayer(name) }))
    .filter((entry): entry is { name: string; layer: number } => entry.layer !== null)
    .sort((a, b) => a.layer - b.layer)
    .map(({ name, layer }, index) => ({ label: `layer ${layer}`, points: curves[name]!, color: colorAt(index) }));
  return {
    loss: {
      title: 'Loss',
      xLabel: 'step',
      yLabel: 'loss',
      series: [...series('loss', 'total L', colorAt(0)), ...series('loss_final', 'final layer L(H)', colorAt(1), true)],
    },
    auxiliary: { title: 'Auxiliary losses w·L(h_l)', xLabel: 'step', yLabel: 'loss', series: auxiliary },
    logitScale: {
      title: 'Logit scale t = exp(s)',
      xLabel: 'step',
      yLabel: 't',
      series: series('logit_scale', 't', colorAt(2)),
    },
    throughput: { title: 'Throughput', xLabel: 'step', yLabel: 'clips/s', series: series('clips_per_s', 'clips/s', colorAt(4)) },
  };
}
