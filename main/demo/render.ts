// Draws the demo tabletop from a view's camera (painter's algorithm: table and flat things first, then parts, hand
// and lamp from far to near) and streams a view's whole video to the encoder, honouring its sync offset.
import { cameraRig, isInFront, NEAR, projectPolygon, toCamera, toPixel, type CameraPose } from './camera';
import type { DemoScenePlan, DemoViewPlan } from './plan';
import { RgbFrame, type Point2, type Rgb } from './raster';
import { clockCentre, clockRadius, lampPosition, Tabletop, tableCorners, workerShoulder, type PlacedPart, type TabletopState, type Vec3 } from './tabletop';
import type { VideoEncoder } from '../../native/ffmpeg';

const MONOCHROME_TINT: Rgb = [228, 236, 250];
const shade = (c: Rgb, k: number): Rgb => [Math.min(255, c[0] * k), Math.min(255, c[1] * k), Math.min(255, c[2] * k)];

function circle3(centre: Vec3, radius: number, sides = 20): Vec3[] {
  return Array.from({ length: sides }, (_, i) => {
    const a = (2 * Math.PI * i) / sides;
    return [centre[0] + radius * Math.cos(a), centre[1] + radius * Math.sin(a), centre[2]] as Vec3;
  });
}

/** Convex hull (monotone chain) of 2-D points. */
function convexHull(points: Point2[]): Point2[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const turn = (o: Point2, a: Point2, b: Point2) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: Point2[]) => {
    const out: Point2[] = [];
    for (const p of list) {
      while (out.length >= 2 && turn(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/** A thick 3-D segment, cut at the near plane when one end is behind the camera (an ego camera's own arm). */
function drawSegment(frame: RgbFrame, pose: CameraPose, from: Vec3, to: Vec3, widthM: number, color: Rgb): void {
  let a = toCamera(pose, from);
  let b = toCamera(pose, to);
  if (!isInFront(a) && !isInFront(b)) return;
  const cut = (p: Vec3, q: Vec3): Vec3 => {
    const k = (NEAR - q[2]) / (p[2] - q[2]);
    return [q[0] + (p[0] - q[0]) * k, q[1] + (p[1] - q[1]) * k, NEAR];
  };
  if (!isInFront(a)) a = cut(a, b);
  if (!isInFront(b)) b = cut(b, a);
  frame.line(toPixel(pose, a), toPixel(pose, b), (pose.focal * widthM * 2) / (a[2] + b[2]), color);
}

function drawPart(frame: RgbFrame, pose: CameraPose, part: PlacedPart): void {
  const { style, position, spin } = part;
  const s = style.size;
  if (style.shape === 'ball') {
    const centre = toCamera(pose, [position[0], position[1], position[2] + s]);
    if (!isInFront(centre)) return;
    const [x, y] = toPixel(pose, centre);
    const r = (pose.focal * s) / centre[2];
    frame.fillDisc(x, y, r, style.color);
    frame.fillDisc(x - r * 0.3, y - r * 0.3, r * 0.35, shade(style.color, 1.35));
    return;
  }
  const corners = (z: number): Vec3[] =>
    [0, 1, 2, 3].map((i) => {
      const a = spin + Math.PI / 4 + (Math.PI / 2) * i;
      return [position[0] + s * Math.SQRT2 * Math.cos(a), position[1] + s * Math.SQRT2 * Math.sin(a), z] as Vec3;
    });
  const bottom = corners(position[2]);
  const top = corners(position[2] + 2 * s);
  const all = [...bottom, ...top].map((p) => toCamera(pose, p));
  if (!all.every(isInFront)) return;
  frame.fillConvex(convexHull(all.map((c) => toPixel(pose, c))), shade(style.color, 0.7));
  frame.fillConvex(projectPolygon(pose, top), style.color);
}

/** Renders the tabletop in `state` as seen by `pose` into `frame`. */
export function drawTabletop(frame: RgbFrame, state: TabletopState, pose: CameraPose, monochrome: boolean): void {
  frame.fillGradient([70, 78, 92], [36, 38, 44]);
  frame.fillConvex(projectPolygon(pose, tableCorners), [150, 112, 76]);
  frame.fillConvex(projectPolygon(pose, [[-0.12, -0.1, 0.001], [0.12, -0.1, 0.001], [0.12, 0.1, 0.001], [-0.12, 0.1, 0.001]]), [128, 98, 70]);
  frame.fillConvex(projectPolygon(pose, circle3(clockCentre, clockRadius)), [240, 240, 235]);
  const clockPoint = (angle: number, r: number): Vec3 => [clockCentre[0] + r * Math.sin(angle), clockCentre[1] + r * Math.cos(angle), clockCentre[2] + 0.001];
  drawSegment(frame, pose, clockPoint(0, clockRadius * 0.75), clockPoint(0, clockRadius), 0.012, [200, 40, 40]);
  drawSegment(frame, pose, clockCentre, clockPoint(state.clockAngle, clockRadius * 0.9), 0.01, [20, 20, 20]);
  for (const part of state.parts) {
    frame.fillConvex(projectPolygon(pose, circle3([part.position[0], part.position[1], 0.001], part.style.size * 1.1, 12)), [110, 82, 56]);
  }
  const items: { depth: number; draw: () => void }[] = state.parts.map((part) => ({
    depth: toCamera(pose, part.position)[2],
    draw: () => drawPart(frame, pose, part),
  }));
  items.push({
    depth: toCamera(pose, lampPosition)[2],
    draw: () => {
      const c = toCamera(pose, lampPosition);
      if (!isInFront(c)) return;
      const [x, y] = toPixel(pose, c);
      const r = (pose.focal * 0.035) / c[2];
      if (state.lampOn) frame.fillDisc(x, y, r * 1.8, [255, 170, 120]);
      frame.fillDisc(x, y, r, state.lampOn ? [255, 40, 30] : [90, 20, 20]);
    },
  });
  items.push({
    depth: toCamera(pose, state.hand)[2],
    draw: () => {
      drawSegment(frame, pose, workerShoulder, state.hand, 0.05, [200, 150, 120]);
      const c = toCamera(pose, state.hand);
      if (isInFront(c)) frame.fillDisc(...toPixel(pose, c), (pose.focal * 0.045) / c[2], [232, 180, 150]);
    },
  });
  items.sort((a, b) => b.depth - a.depth);
  for (const item of items) item.draw();
  if (monochrome) frame.toMonochrome(MONOCHROME_TINT);
}

/** Streams the view's video: its frame f shows scene frame f - syncOffsetFrames. */
export async function renderViewVideo(
  encoder: VideoEncoder,
  scene: DemoScenePlan,
  view: DemoViewPlan,
  placement: { index: number; count: number },
  size: { width: number; height: number; fps: number },
): Promise<void> {
  const tabletop = new Tabletop(scene, size.fps);
  const rig = cameraRig(scene, view, placement.index, placement.count, size.fps, size.width, size.height);
  const frame = new RgbFrame(size.width, size.height);
  for (let f = 0; f < scene.frameCount; f++) {
    const sceneFrame = f - view.syncOffsetFrames;
    const state = tabletop.stateAt(sceneFrame);
    drawTabletop(frame, state, rig(sceneFrame, state.hand), view.role === 'ego');
    await encoder.writeFrame(frame.data);
  }
}
