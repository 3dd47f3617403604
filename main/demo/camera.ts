// Virtual pinhole cameras of the demo videos. Exo cameras stand still, distant, at different angles around the
// table; ego cameras sit on the worker's head, close, looking down at what the hand handles, spread like the four
// cameras of one headset, and shake with the head (one head motion per scene, shared by its ego cameras).
import type { DemoScenePlan, DemoViewPlan } from './plan';
import type { Point2 } from './raster';
import { deriveSeed, SeededRandom } from '../random/seededRandom';
import { smoothWaves } from './smoothWaves';
import type { Vec3 } from './tabletop';

export interface CameraPose {
  position: Vec3;
  right: Vec3;
  down: Vec3;
  forward: Vec3;
  /** Focal length in pixels. */
  focal: number;
  width: number;
  height: number;
}

/** Near clipping plane, metres. */
export const NEAR = 0.03;
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};

function lookAt(position: Vec3, target: Vec3, focal: number, width: number, height: number): CameraPose {
  const forward = normalize(sub(target, position));
  const right = normalize(cross(forward, [0, 0, 1]));
  return { position, right, down: cross(forward, right), forward, focal, width, height };
}

/** Camera coordinates: x right, y down, z along the view direction (depth). */
export function toCamera(pose: CameraPose, point: Vec3): Vec3 {
  const d = sub(point, pose.position);
  return [dot(d, pose.right), dot(d, pose.down), dot(d, pose.forward)];
}

/** Pixel position of a camera-space point in front of the camera. */
export function toPixel(pose: CameraPose, c: Vec3): Point2 {
  return [pose.width / 2 + (pose.focal * c[0]) / c[2], pose.height / 2 + (pose.focal * c[1]) / c[2]];
}

/** Projects a planar convex polygon, clipped against the near plane (empty if wholly behind it). */
export function projectPolygon(pose: CameraPose, points: readonly Vec3[]): Point2[] {
  const camera = points.map((p) => toCamera(pose, p));
  const clipped: Vec3[] = [];
  for (let i = 0; i < camera.length; i++) {
    const a = camera[i]!;
    const b = camera[(i + 1) % camera.length]!;
    if (a[2] >= NEAR) clipped.push(a);
    if (a[2] >= NEAR !== b[2] >= NEAR) {
      const k = (NEAR - a[2]) / (b[2] - a[2]);
      clipped.push([a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, NEAR]);
    }
  }
  return clipped.map((c) => toPixel(pose, c));
}

export const isInFront = (c: Vec3) => c[2] >= NEAR;

/** Pose of a view's camera at each scene frame. */
export type CameraRig = (sceneFrame: number, lookedAt: Vec3) => CameraPose;

export function cameraRig(scene: DemoScenePlan, view: DemoViewPlan, viewIndex: number, viewCount: number, fps: number, width: number, height: number): CameraRig {
  const random = new SeededRandom(deriveSeed(view.paramsSeed, 'camera'));
  if (view.role === 'exo') {
    const azimuth = (2 * Math.PI * viewIndex) / viewCount + random.uniformIn(-0.2, 0.2) + 0.3;
    const distance = random.uniformIn(1.5, 1.9);
    const position: Vec3 = [distance * Math.cos(azimuth), distance * Math.sin(azimuth), random.uniformIn(0.7, 1.3)];
    const pose = lookAt(position, [random.uniformIn(-0.05, 0.05), random.uniformIn(-0.05, 0.05), 0.05], width * random.uniformIn(1.3, 1.6), width, height);
    return () => pose;
  }
  // One head per scene: all its ego cameras shake together, each with its own mounting direction.
  const head = new SeededRandom(deriveSeed(scene.index, 'head'));
  const shake = [0, 1, 2, 3, 4].map(() => smoothWaves(head, 3, 0.6, 3, fps));
  const spread = viewCount > 1 ? viewIndex / (viewCount - 1) - 0.5 : 0;
  const mount: Vec3 = [0.35 * spread + random.uniformIn(-0.03, 0.03), random.uniformIn(-0.05, 0.05), 0];
  const focal = width * random.uniformIn(0.5, 0.6);
  return (frame, lookedAt) => {
    const position: Vec3 = [0.03 * shake[0]!(frame), -0.5 + 0.02 * shake[1]!(frame), 0.45 + 0.015 * shake[2]!(frame)];
    // People look at what their hand handles: the gaze follows it part way.
    const target: Vec3 = [
      0.8 * lookedAt[0] + mount[0] + 0.04 * shake[3]!(frame),
      -0.1 + 0.8 * (lookedAt[1] + 0.1) + mount[1] + 0.04 * shake[4]!(frame),
      0,
    ];
    return lookAt([position[0] + 0.04 * spread, position[1], position[2]], target, focal, width, height);
  };
}
