// A run's metric curves, step by step, as the live charts need them: filled from the catalog's history
// (api.runMetrics) when a run is opened and extended by run.progress events while it trains. A step reported
// twice (a resumed run replays the steps after its last checkpoint) keeps the newer value. Values are immutable:
// each update returns a new CurveSet, so a reactive holder sees the change.
import type { MetricPoint } from '../../../../contract/api';

export interface CurvePoint {
  x: number;
  y: number;
}

/** Points by metric name, each list ordered by step. */
export type CurveSet = Readonly<Record<string, readonly CurvePoint[]>>;

export const emptyCurves: CurveSet = {};

/** Curves from stored metric rows (any order). Non-finite values (NaN losses) are left out of the curves. */
export function curvesFromPoints(points: readonly MetricPoint[]): CurveSet {
  const byName = new Map<string, Map<number, number>>();
  for (const point of points) {
    if (!Number.isFinite(point.value)) continue;
    let steps = byName.get(point.name);
    if (!steps) byName.set(point.name, (steps = new Map()));
    steps.set(point.step, point.value);
  }
  const curves: Record<string, CurvePoint[]> = {};
  for (const [name, steps] of byName) {
    curves[name] = [...steps].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y }));
  }
  return curves;
}

/** The curves with one step's metrics added (replacing that step's earlier values, if any). */
export function withStep(curves: CurveSet, step: number, metrics: Readonly<Record<string, number>>): CurveSet {
  const next: Record<string, readonly CurvePoint[]> = { ...curves };
  for (const [name, value] of Object.entries(metrics)) {
    if (!Number.isFinite(value)) continue;
    next[name] = insertPoint(curves[name] ?? [], { x: step, y: value });
  }
  return next;
}

/**
 * Stored history with live points on top: what a run's charts show when its history arrives after live steps
 * did (a run opened while it trains). Live values win at steps both have.
 */
export function mergeCurves(history: CurveSet, live: CurveSet): CurveSet {
  const merged: Record<string, readonly CurvePoint[]> = { ...history };
  for (const [name, points] of Object.entries(live)) {
    const byStep = new Map((history[name] ?? []).map((p) => [p.x, p.y]));
    for (const point of points) byStep.set(point.x, point.y);
    merged[name] = [...byStep].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y }));
  }
  return merged;
}

function insertPoint(points: readonly CurvePoint[], point: CurvePoint): CurvePoint[] {
  const last = points[points.length - 1];
  if (last === undefined || last.x < point.x) return [...points, point];
  const kept = points.filter((p) => p.x !== point.x);
  const at = kept.findIndex((p) => p.x > point.x);
  if (at === -1) return [...kept, point];
  return [...kept.slice(0, at), point, ...kept.slice(at)];
}

/**
 * The layer l of an auxiliary-loss metric name, or null for other names. The training loop logs them as
 * `loss_aux_<l>` (main/engine/training/metricsLog.ts); `aux.layer<l>` is accepted too.
 */
export function auxiliaryLayer(name: string): number | null {
  const match = /^(?:loss_aux_|aux\.layer)(\d+)$/.exec(name);
  return match ? Number(match[1]) : null;
}
