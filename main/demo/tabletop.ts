// The 3-D tabletop the demo videos show, as a function of scene time: six coloured parts at their home places, the
// part being handled moving as its action prescribes (taken into the hand, positioned at the work spot, screwed,
// lifted to be inspected, put back), a hand that reaches for it and an arm from the worker's body, and two sync
// cues every camera sees: a clock whose hand turns once every 4 s and a lamp lit for the first quarter of each second.
// World units are metres; the table top is the plane z = 0, the worker stands at y < 0.
import type { DemoScenePlan, DemoSegment } from './plan';
import { demoObjects, type DemoObject, type DemoVerb } from './vocabulary';
import type { Rgb } from './raster';

export type Vec3 = readonly [number, number, number];

export const tableCorners: Vec3[] = [[-0.6, -0.4, 0], [0.6, -0.4, 0], [0.6, 0.4, 0], [-0.6, 0.4, 0]];
export const clockCentre: Vec3 = [0.47, 0.29, 0.002];
export const clockRadius = 0.08;
export const lampPosition: Vec3 = [-0.5, 0.3, 0.04];
export const workerShoulder: Vec3 = [0.12, -0.62, 0.35];

const CLOCK_PERIOD_S = 4;
const WORK_SPOT: Vec3 = [0, 0, 0];
const HELD: Vec3 = [0.05, -0.25, 0.16];
const INSPECT: Vec3 = [0.02, -0.18, 0.32];
const HAND_REST: Vec3 = [0.15, -0.34, 0.08];

export interface PartStyle {
  name: DemoObject;
  home: Vec3;
  /** Half size (box) or radius (ball), metres. */
  size: number;
  shape: 'box' | 'ball';
  color: Rgb;
}

export const parts: PartStyle[] = demoObjects.map((name, i) => {
  const angle = Math.PI * (0.12 + (0.76 * i) / (demoObjects.length - 1));
  return {
    name,
    home: [0.42 * Math.cos(angle), 0.05 + 0.28 * Math.sin(angle), 0],
    size: [0.05, 0.07, 0.055, 0.045, 0.04, 0.06][i]!,
    shape: i % 2 === 0 ? 'ball' : 'box',
    color: ([[220, 60, 50], [60, 110, 220], [240, 190, 40], [70, 180, 90], [170, 90, 200], [240, 130, 40]] as const)[i]!,
  };
});

export interface PlacedPart {
  style: PartStyle;
  /** Centre of the part's bottom face. */
  position: Vec3;
  /** Spin about the vertical axis, radians (boxes only show it). */
  spin: number;
}

export interface TabletopState {
  parts: PlacedPart[];
  hand: Vec3;
  /** Clock hand angle, radians, one turn per 4 s. */
  clockAngle: number;
  lampOn: boolean;
}

const lerp = (a: Vec3, b: Vec3, k: number): Vec3 => [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
const ease = (k: number) => {
  const c = Math.min(1, Math.max(0, k));
  return c * c * (3 - 2 * c);
};
const lift = (p: Vec3, h: number): Vec3 => [p[0], p[1], p[2] + h];

/** Where a segment's verb takes its part (from where the previous segment left it) and where the hand is. */
function handle(verb: DemoVerb, start: Vec3, home: Vec3, p: number): { part: Vec3; hand: Vec3; spin: number } {
  switch (verb) {
    case 'take': {
      const part = lerp(start, HELD, ease((p - 0.45) / 0.55));
      return { part, hand: p < 0.45 ? lerp(HAND_REST, lift(start, 0.06), ease(p / 0.45)) : lift(part, 0.06), spin: 0 };
    }
    case 'position': {
      const part = lerp(start, WORK_SPOT, ease(p));
      return { part, hand: lift(part, 0.06), spin: 0 };
    }
    case 'screw': {
      const turn = 6 * Math.PI * p;
      return { part: start, hand: [start[0] + 0.07 * Math.cos(turn), start[1] + 0.07 * Math.sin(turn), start[2] + 0.05], spin: turn };
    }
    case 'inspect': {
      const part = lerp(start, INSPECT, Math.sin(Math.PI * ease(p)));
      return { part, hand: lift(part, 0.06), spin: Math.PI * p };
    }
    case 'put': {
      const part = lerp(start, home, ease(p / 0.7));
      return { part, hand: p < 0.7 ? lift(part, 0.06) : lerp(lift(home, 0.06), HAND_REST, ease((p - 0.7) / 0.3)), spin: 0 };
    }
  }
}

/** The scene's tabletop at any scene frame; segments are walked once to know where each action starts from. */
export class Tabletop {
  private readonly starts: Vec3[];

  constructor(
    private readonly scene: DemoScenePlan,
    private readonly fps: number,
  ) {
    const where = new Map<DemoObject, Vec3>(parts.map((part) => [part.name, part.home]));
    this.starts = scene.segments.map((segment) => {
      const start = where.get(segment.object)!;
      const home = parts.find((part) => part.name === segment.object)!.home;
      where.set(segment.object, handle(segment.verb, start, home, 1).part);
      return start;
    });
  }

  private segmentIndexAt(frame: number): number {
    const { segments } = this.scene;
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (segments[mid]!.startFrame <= frame) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  stateAt(frame: number): TabletopState {
    const index = this.segmentIndexAt(frame);
    const segment: DemoSegment = this.scene.segments[index]!;
    const progress = Math.min(1, Math.max(0, (frame - segment.startFrame + 0.5) / (segment.endFrame - segment.startFrame)));
    const active = parts.find((part) => part.name === segment.object)!;
    const motion = handle(segment.verb, this.starts[index]!, active.home, progress);
    const seconds = frame / this.fps;
    return {
      parts: parts.map((style) =>
        style === active ? { style, position: motion.part, spin: motion.spin } : { style, position: style.home, spin: 0 },
      ),
      hand: motion.hand,
      clockAngle: (2 * Math.PI * seconds) / CLOCK_PERIOD_S,
      lampOn: seconds - Math.floor(seconds) < 0.25,
    };
  }
}
