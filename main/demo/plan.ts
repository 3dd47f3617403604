// The demo's ground truth, decided before anything is rendered: scenes and their splits, each scene's action
// script (labelled segments following a take -> position -> screw -> inspect -> put routine per part), and its
// views with their cameras and sync offsets.
import { actionLabel, demoObjects, demoVerbs, type DemoObject, type DemoVerb } from './vocabulary';
import type { DemoOptions } from './options';
import { deriveSeed, SeededRandom } from './random';
import type { Role } from '../../contract/api';

export type DemoSplit = 'train' | 'val' | 'test';

export interface DemoSegment {
  /** Scene frames; `endFrame` exclusive. */
  startFrame: number;
  endFrame: number;
  label: string;
  verb: DemoVerb;
  object: DemoObject;
}

export interface DemoViewPlan {
  name: string;
  role: Role;
  /** Camera identity; the same camera (and its feature transform) appears in every scene. */
  camera: string;
  /** View frame t + syncOffsetFrames shows scene frame t. */
  syncOffsetFrames: number;
  /** Seed of this camera's feature transform and virtual camera pose. */
  paramsSeed: number;
}

export interface DemoScenePlan {
  index: number;
  name: string;
  split: DemoSplit;
  /** Frames of every view's feature track and video. */
  frameCount: number;
  /** The script covers scene frames [-padFrames, frameCount + padFrames), so every view frame shows scripted action. */
  padFrames: number;
  segments: DemoSegment[];
  views: DemoViewPlan[];
}

const skippable = new Set<DemoVerb>(['position', 'inspect']);

/** Typical seconds per verb: screwing takes longer than taking. */
const verbSeconds: Record<DemoVerb, number> = { take: 2, position: 3, screw: 5, inspect: 3, put: 2 };

/** Scene splits: the last max(2, S/4) scenes are 'test', one 'val' before them from 6 scenes up, the rest 'train'. */
export function demoSplits(sceneCount: number): DemoSplit[] {
  const test = Math.max(2, Math.round(sceneCount / 4));
  const val = sceneCount >= 6 ? 1 : 0;
  return Array.from({ length: sceneCount }, (_, i) =>
    i >= sceneCount - test ? 'test' : i >= sceneCount - test - val ? 'val' : 'train',
  );
}

/** A contiguous script covering [from, to): each part is taken, positioned, screwed, inspected, put back. */
function scriptSegments(random: SeededRandom, from: number, to: number, fps: number): DemoSegment[] {
  const segments: DemoSegment[] = [];
  let object: DemoObject = random.pick(demoObjects);
  let step = 0;
  let start = from;
  while (start < to) {
    const verb = demoVerbs[step]!;
    const frames = Math.max(Math.round(fps), Math.round(verbSeconds[verb] * random.uniform(0.7, 1.4) * fps));
    segments.push({ startFrame: start, endFrame: start + frames, label: actionLabel(verb, object), verb, object });
    start += frames;
    // Mostly the next step of the routine; 'position' and 'inspect' are sometimes skipped, 'take' and 'put' never.
    step += skippable.has(demoVerbs[step + 1]!) && random.next() < 0.2 ? 2 : 1;
    if (step >= demoVerbs.length) {
      step = 0;
      const previous = object;
      while (object === previous) object = random.pick(demoObjects);
    }
  }
  return segments;
}

/** Segments clipped to the scene's own frames [0, frameCount). */
export function visibleSegments(scene: DemoScenePlan): DemoSegment[] {
  return scene.segments
    .filter((s) => s.endFrame > 0 && s.startFrame < scene.frameCount)
    .map((s) => ({ ...s, startFrame: Math.max(0, s.startFrame), endFrame: Math.min(scene.frameCount, s.endFrame) }));
}

const demoViewNames = (options: Pick<DemoOptions, 'egoViews' | 'exoViews'>) => [
  ...Array.from({ length: options.egoViews }, (_, i) => ({ name: `e${i + 1}`, role: 'ego' as const, camera: `demo-ego-${i + 1}` })),
  ...Array.from({ length: options.exoViews }, (_, i) => ({ name: `v${i + 1}`, role: 'exo' as const, camera: `demo-exo-${i + 1}` })),
];

export function planDemo(options: DemoOptions): DemoScenePlan[] {
  const frameCount = Math.round(options.sceneSeconds * options.fps);
  const padFrames = options.maxSyncOffsetFrames;
  const splits = demoSplits(options.scenes);
  const digits = String(options.scenes).length;
  return splits.map((split, index) => {
    const random = new SeededRandom(deriveSeed(options.seed, 'scene', index));
    const segments = scriptSegments(random.fork('script'), -padFrames, frameCount + padFrames, options.fps);
    const offsets = random.fork('offsets');
    const views = demoViewNames(options).map((view) => ({
      ...view,
      syncOffsetFrames: offsets.int(-options.maxSyncOffsetFrames, options.maxSyncOffsetFrames),
      paramsSeed: deriveSeed(options.seed, 'camera', view.camera),
    }));
    return { index, name: `scene${String(index + 1).padStart(Math.max(2, digits), '0')}`, split, frameCount, padFrames, segments, views };
  });
}
