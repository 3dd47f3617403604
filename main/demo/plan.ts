// The demo's ground truth, decided before anything is rendered: scenes and their splits, each scene's action
// script (labelled segments: one part after another, each handled by its kind's routine of verbs, vocabulary.ts),
// and its views with their cameras and sync offsets.
import { actionLabel, demoObjects, kindOf, partKinds, type DemoObject, type DemoVerb } from './vocabulary';
import type { DemoOptions } from './options';
import { deriveSeed, SeededRandom } from '../random/seededRandom';
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

/** Typical seconds per verb: screwing takes longer than taking. */
const verbSeconds: Record<DemoVerb, number> = {
  take: 1.5, position: 2.5, screw: 4, tighten: 2, align: 2, insert: 3, attach: 3, push: 1.5, rotate: 3, adjust: 2, inspect: 3, put: 1.5,
};
/** How often the next part is one of the kind that follows in assembly order (otherwise any other part). */
const FOLLOW_ASSEMBLY_ORDER = 0.6;

/** Scene splits: the last max(2, S/4) scenes are 'test', one 'val' before them from 6 scenes up, the rest 'train'. */
export function demoSplits(sceneCount: number): DemoSplit[] {
  const test = Math.max(2, Math.round(sceneCount / 4));
  const val = sceneCount >= 6 ? 1 : 0;
  return Array.from({ length: sceneCount }, (_, i) =>
    i >= sceneCount - test ? 'test' : i >= sceneCount - test - val ? 'val' : 'train',
  );
}

/** The verbs of one handling of `object`: 'take', then its kind's routine, each optional step drawn. */
function routineVerbs(random: SeededRandom, object: DemoObject): DemoVerb[] {
  const steps = kindOf(object).steps.filter((step) => step.probability >= 1 || random.uniform() < step.probability);
  return ['take', ...steps.map((step) => step.verb)];
}

/** The part handled after `current`: usually one of the next kind in assembly order, otherwise any other part. */
function nextPart(random: SeededRandom, current: DemoObject): DemoObject {
  if (random.uniform() < FOLLOW_ASSEMBLY_ORDER) {
    const index = partKinds.indexOf(kindOf(current));
    return random.pick(partKinds[(index + 1) % partKinds.length]!.parts);
  }
  return random.pick(demoObjects.filter((object) => object !== current));
}

/** A contiguous script covering [from, to): one part after another, each handled by its kind's routine. */
function scriptSegments(random: SeededRandom, from: number, to: number, fps: number): DemoSegment[] {
  const segments: DemoSegment[] = [];
  let object: DemoObject = random.pick(demoObjects);
  let start = from;
  while (start < to) {
    for (const verb of routineVerbs(random, object)) {
      if (start >= to) break;
      const frames = Math.max(Math.round(fps), Math.round(verbSeconds[verb] * random.uniformIn(0.7, 1.4) * fps));
      segments.push({ startFrame: start, endFrame: start + frames, label: actionLabel(verb, object), verb, object });
      start += frames;
    }
    object = nextPart(random, object);
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
      syncOffsetFrames: offsets.int(2 * options.maxSyncOffsetFrames + 1) - options.maxSyncOffsetFrames,
      paramsSeed: deriveSeed(options.seed, 'camera', view.camera),
    }));
    return { index, name: `scene${String(index + 1).padStart(Math.max(2, digits), '0')}`, split, frameCount, padFrames, segments, views };
  });
}
