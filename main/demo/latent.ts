// The demo's hidden scene state z(t): what every camera of a scene sees, whatever its viewpoint. It is the action's
// prototype (verb + object, shared by all scenes) plus the verb's motion over the segment's progress, plus
// scene-specific waves (a slow drift, so two occurrences of one action differ, and fine hand motion, so nearby
// moments differ), blurred over ~0.2 s so that segment changes are smooth and neighbouring frames are similar.
import type { DemoScenePlan } from './plan';
import { demoObjects, demoVerbs } from './vocabulary';
import { deriveSeed, SeededRandom } from '../random/seededRandom';

export const LATENT_DIM = 16;

/** Basis functions of progress p in [0, 1] that a verb's motion is made of. */
const progressBasis = (p: number) => [Math.sin(Math.PI * p), Math.sin(2 * Math.PI * p), p - 0.5];
/** Slow waves (periods 8-30 s): the scene's drift. Fast waves (0.7-3 s): fine hand motion, telling frames apart. */
const SLOW_WAVES = 3;
const FAST_WAVES = 2;

export interface SceneLatent {
  /** Scene frame of row 0 (negative: the script starts before the scene). */
  firstFrame: number;
  frames: number;
  /** [frames, LATENT_DIM] row-major. */
  values: Float32Array;
}

/** z at scene frame t (clamped to the covered range): a view of `latent.values`, do not modify. */
export function latentAt(latent: SceneLatent, frame: number): Float32Array {
  const row = Math.min(latent.frames - 1, Math.max(0, frame - latent.firstFrame));
  return latent.values.subarray(row * LATENT_DIM, (row + 1) * LATENT_DIM);
}

export class DemoLatentModel {
  private readonly verbPrototypes: Map<string, Float32Array>;
  private readonly objectPrototypes: Map<string, Float32Array>;
  /** Per verb: [LATENT_DIM, basis] motion directions. */
  private readonly verbMotions: Map<string, Float32Array>;

  constructor(readonly seed: number) {
    const random = new SeededRandom(deriveSeed(seed, 'latent'));
    this.verbPrototypes = new Map(demoVerbs.map((verb) => [verb, random.normalArray(LATENT_DIM, 1)]));
    this.objectPrototypes = new Map(demoObjects.map((object) => [object, random.normalArray(LATENT_DIM, 1)]));
    this.verbMotions = new Map(demoVerbs.map((verb) => [verb, random.normalArray(LATENT_DIM * 3, 0.8)]));
  }

  sceneLatent(scene: DemoScenePlan, fps: number): SceneLatent {
    const firstFrame = scene.segments[0]!.startFrame;
    const frames = scene.segments.at(-1)!.endFrame - firstFrame;
    const raw = new Float32Array(frames * LATENT_DIM);
    for (const segment of scene.segments) {
      const verb = this.verbPrototypes.get(segment.verb)!;
      const object = this.objectPrototypes.get(segment.object)!;
      const motion = this.verbMotions.get(segment.verb)!;
      const length = segment.endFrame - segment.startFrame;
      for (let t = segment.startFrame; t < segment.endFrame; t++) {
        const basis = progressBasis((t - segment.startFrame + 0.5) / length);
        const row = (t - firstFrame) * LATENT_DIM;
        for (let d = 0; d < LATENT_DIM; d++) {
          let value = verb[d]! + object[d]!;
          for (let b = 0; b < basis.length; b++) value += motion[d * basis.length + b]! * basis[b]!;
          raw[row + d] = value;
        }
      }
    }
    this.addDrift(raw, frames, firstFrame, fps, new SeededRandom(deriveSeed(this.seed, 'drift', scene.index)));
    return { firstFrame, frames, values: gaussianBlur(raw, frames, LATENT_DIM, 0.2 * fps) };
  }

  /** Slow and fast waves per dimension: the same action looks a bit different each time and frames differ. */
  private addDrift(values: Float32Array, frames: number, firstFrame: number, fps: number, random: SeededRandom): void {
    for (let d = 0; d < LATENT_DIM; d++) {
      for (let w = 0; w < SLOW_WAVES + FAST_WAVES; w++) {
        const fast = w >= SLOW_WAVES;
        const omega = (2 * Math.PI) / (fast ? random.uniformIn(0.7, 3) : random.uniformIn(8, 30)) / fps;
        const phase = random.uniformIn(0, 2 * Math.PI);
        const amplitude = 0.4 * random.uniformIn(0.5, 1.5);
        for (let i = 0; i < frames; i++) values[i * LATENT_DIM + d]! += amplitude * Math.sin(omega * (i + firstFrame) + phase);
      }
    }
  }
}

/** Blurs each column of a [rows, cols] matrix over rows with a Gaussian of `sigma` rows (edges clamped). */
function gaussianBlur(values: Float32Array, rows: number, cols: number, sigma: number): Float32Array {
  if (sigma < 0.5) return values.slice();
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let k = -radius; k <= radius; k++) {
      const source = Math.min(rows - 1, Math.max(0, r + k)) * cols;
      const weight = kernel[k + radius]! / total;
      for (let c = 0; c < cols; c++) out[r * cols + c]! += weight * values[source + c]!;
    }
  }
  return out;
}
