// Runs' loss curves side by side: overlaid on one chart, by optimizer step or by fraction of each run's length
// (runs of different lengths then line up start to end), and compared at the last step every run logged.
import type { CurvePoint } from './runCurves';
import { colorAt, type LineChartSpec } from './trainingCharts';

export type ComparisonAxis = 'step' | 'fraction';

export interface ComparedCurve {
  label: string;
  /** The metric compared (usually total loss), ordered by step. */
  points: readonly CurvePoint[];
  /** The run's planned length; the fraction axis divides by it (the last logged step when unknown). */
  totalSteps: number | null;
}

export interface ComparisonSummary {
  /** Steps every run logged. */
  commonSteps: number;
  /** The last step every run logged, with each run's value there (in the runs' order); null when they share none. */
  atLastCommon: { step: number; values: number[] } | null;
}

/** The curves on one x axis, one colour per run. */
export function comparisonChart(runs: readonly ComparedCurve[], axis: ComparisonAxis, metric = 'loss'): LineChartSpec {
  const onAxis = (run: ComparedCurve): CurvePoint[] => {
    if (axis === 'step') return [...run.points];
    const length = run.totalSteps ?? run.points[run.points.length - 1]?.x ?? 1;
    return run.points.map((p) => ({ x: length > 0 ? p.x / length : 0, y: p.y }));
  };
  return {
    title: `${metric}: ${runs.map((run) => run.label).join(' vs ')}`,
    xLabel: axis === 'step' ? 'step' : 'fraction of the run',
    yLabel: metric,
    series: runs.map((run, i) => ({ label: run.label, points: onAxis(run), color: colorAt(i) })),
  };
}

/** The steps all the curves logged, and each curve's value at the last of them. */
export function compareAtCommonSteps(curves: readonly (readonly CurvePoint[])[]): ComparisonSummary {
  if (curves.length === 0) return { commonSteps: 0, atLastCommon: null };
  const byStep = curves.map((points) => new Map(points.map((p) => [p.x, p.y])));
  const common = [...byStep[0]!.keys()].filter((step) => byStep.every((steps) => steps.has(step)));
  if (common.length === 0) return { commonSteps: 0, atLastCommon: null };
  const step = Math.max(...common);
  return { commonSteps: common.length, atLastCommon: { step, values: byStep.map((steps) => steps.get(step)!) } };
}
