// Two runs' loss curves side by side: overlaid on one chart, by optimizer step or by fraction of each run's
// length (runs of different lengths then line up start to end), and compared at the steps both runs logged.
import type { CurvePoint } from './runCurves';
import { colorAt, type LineChartSpec } from './trainingCharts';

export type ComparisonAxis = 'step' | 'fraction';

export interface ComparedRun {
  label: string;
  /** The metric compared (usually total loss), ordered by step. */
  points: readonly CurvePoint[];
  /** The run's planned length; the fraction axis divides by it (the last logged step when unknown). */
  totalSteps: number | null;
}

export interface ComparisonSummary {
  /** Steps both runs logged. */
  commonSteps: number;
  /** The last step both logged, with each run's value there and b − a; null when they share no step. */
  atLastCommon: { step: number; a: number; b: number; difference: number } | null;
}

/** The two curves on one x axis. */
export function comparisonChart(a: ComparedRun, b: ComparedRun, axis: ComparisonAxis, metric = 'loss'): LineChartSpec {
  const onAxis = (run: ComparedRun): CurvePoint[] => {
    if (axis === 'step') return [...run.points];
    const length = run.totalSteps ?? run.points[run.points.length - 1]?.x ?? 1;
    return run.points.map((p) => ({ x: length > 0 ? p.x / length : 0, y: p.y }));
  };
  return {
    title: `${metric}: ${a.label} vs ${b.label}`,
    xLabel: axis === 'step' ? 'step' : 'fraction of the run',
    yLabel: metric,
    series: [
      { label: a.label, points: onAxis(a), color: colorAt(0) },
      { label: b.label, points: onAxis(b), color: colorAt(1) },
    ],
  };
}

export function compareAtCommonSteps(a: readonly CurvePoint[], b: readonly CurvePoint[]): ComparisonSummary {
  const bByStep = new Map(b.map((p) => [p.x, p.y]));
  let commonSteps = 0;
  let atLastCommon: ComparisonSummary['atLastCommon'] = null;
  for (const point of a) {
    const other = bByStep.get(point.x);
    if (other === undefined) continue;
    commonSteps++;
    if (atLastCommon === null || point.x > atLastCommon.step) {
      atLastCommon = { step: point.x, a: point.y, b: other, difference: other - point.y };
    }
  }
  return { commonSteps, atLastCommon };
}
