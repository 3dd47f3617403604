// The 3-D tabletop the demo videos show, as a function of scene time: the coloured parts at their home places, the
// part being handled moving as its action prescribes (taken into the hand, positioned, aligned, inserted or
// attached at its mount on the vehicle at the work spot, pushed, screwed, rotated, lifted to be inspected, put
// back), a hand that reaches for it and an arm from the worker's body, and two sync
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
  /** Where the part sits on the vehicle being assembled, around the work spot. */
  mount: Vec3;
  /** Half size (box) or radius (ball), metres. */
  size: number;
  shape: 'box' | 'ball';
  color: Rgb;
}

/** A saturated colour of hue h in [0, 1). */
function hue(h: number): Rgb {
  const channel = (n: number) => {
    const k = (n + h * 6) % 6;
    return Math.round(235 - 175 * Math.max(0, Math.min(1, k, 4 - k)));
  };
  return [channel(5), channel(3), channel(1)];
}

/** The parts lie in two arcs at the back of the table (alternating), each with its own colour, shape and mount. */
export const parts: PartStyle[] = demoObjects.map((name, i) => {
  const outer = i % 2 === 0;
  const count = outer ? Math.ceil(demoObjects.length / 2) : Math.floor(demoObjects.length / 2);
  const slot = Math.floor(i / 2);
  const angle = Math.PI * (0.1 + (0.8 * (slot + (outer ? 0 : 0.5))) / Math.max(1, count - (outer ? 1 : 0)));
  const radius = outer ? 0.47 : 0.36;
  const around = (2 * Math.PI * i) / demoObjects.length;
  return {
    name,
    home: [radius * Math.cos(angle), -0.02 + 0.4 * Math.sin(angle), 0],
    mount: [WORK_SPOT[0] + 0.07 * Math.cos(around), WORK_SPOT[1] + 0.05 * Math.sin(around), 0],
    size: [0.032, 0.04, 0.036, 0.028, 0.044][i % 5]!,
    shape: i % 3 === 0 ? 'ball' : 'box',
    color: hue((i * 7) / demoObjects.length % 1),
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
const shift = (p: Vec3, dx: number, dy: number): Vec3 => [p[0] + dx, p[1] + dy, p[2]];

/** Hand circling above a part (screwing, tightening), `turns` times over the segment. */
function circling(start: Vec3, p: number, turns: number, radius: number) {
  const turn = 2 * Math.PI * turns * p;
  return { part: start, hand: [start[0] + radius * Math.cos(turn), start[1] + radius * Math.sin(turn), start[2] + 0.05] as Vec3, spin: turn };
}

/**
 * Where a segment's verb takes its part (from where the previous segment left it: `start`) and where the hand is,
 * at progress p in [0, 1] of the segment.
 */
function handle(verb: DemoVerb, style: PartStyle, start: Vec3, p: number): { part: Vec3; hand: Vec3; spin: number } {
  switch (verb) {
    case 'take': {
      const part = lerp(start, HELD, ease((p - 0.45) / 0.55));
      return { part, hand: p < 0.45 ? lerp(HAND_REST, lift(start, 0.06), ease(p / 0.45)) : lift(part, 0.06), spin: 0 };
    }
    case 'position': {
      const part = lerp(start, style.mount, ease(p));
      return { part, hand: lift(part, 0.06), spin: 0 };
    }
    case 'align': {
      // Slides in sideways, wiggling less and less as it lines up with its mount.
      const part = shift(lerp(start, style.mount, ease(p)), 0.025 * Math.sin(5 * Math.PI * p) * (1 - p), 0);
      return { part, hand: lift(part, 0.06), spin: 0.3 * Math.sin(3 * Math.PI * p) * (1 - p) };
    }
    case 'insert': {
      // From above the mount, straight down.
      const above = lift(style.mount, 0.1);
      const part = p < 0.5 ? lerp(start, above, ease(p / 0.5)) : lerp(above, style.mount, ease((p - 0.5) / 0.5));
      return { part, hand: lift(part, 0.06), spin: 0 };
    }
    case 'attach': {
      const seated = lerp(start, style.mount, ease(p / 0.7));
      const part = p < 0.7 ? seated : lift(style.mount, -0.01 * Math.sin((Math.PI * (p - 0.7)) / 0.3));
      return { part, hand: lift(part, 0.06), spin: 0 };
    }
    case 'push': {
      const press = Math.sin(Math.PI * p);
      return { part: lift(start, -0.012 * press), hand: lift(start, 0.1 - 0.05 * press), spin: 0 };
    }
    case 'screw':
      return circling(start, p, 3, 0.07);
    case 'tighten':
      return circling(start, p, 2, 0.04);
    case 'rotate': {
      const part = lift(start, 0.03 * Math.sin(Math.PI * p));
      return { part, hand: shift(lift(part, 0.05), 0.04 * Math.cos(Math.PI * p), 0.04 * Math.sin(Math.PI * p)), spin: Math.PI * ease(p) };
    }
    case 'adjust': {
      const part = shift(start, 0.01 * Math.sin(6 * Math.PI * p), 0.01 * Math.cos(4 * Math.PI * p));
      return { part, hand: lift(part, 0.05), spin: 0.25 * Math.sin(4 * Math.PI * p) };
    }
    case 'inspect': {
      const part = lerp(start, INSPECT, Math.sin(Math.PI * ease(p)));
      return { part, hand: lift(part, 0.06), spin: Math.PI * p };
    }
    case 'put': {
      const part = lerp(start, style.home, ease(p / 0.7));
      return { part, hand: p < 0.7 ? lift(part, 0.06) : lerp(lift(style.home, 0.06), HAND_REST, ease((p - 0.7) / 0.3)), spin: 0 };
    }
  }
}

const styleOf = (object: DemoObject): PartStyle => parts.find((part) => part.name === object)!;

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
      where.set(segment.object, handle(segment.verb, styleOf(segment.object), start, 1).part);
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
    const active = styleOf(segment.object);
    const motion = handle(segment.verb, active, this.starts[index]!, progress);
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
