// Test fixtures for clip sampling: scene descriptions built from short specs, settings with small defaults, and
// an in-memory feature source whose rows encode where they came from (feature 0 = frame index, feature 1 =
// track id), so a clip's tokens reveal exactly which frames of which track were read.
import type { FrameReader } from '../../../../main/features/FeatureStore';
import type { SamplerSettings } from '../../../../main/engine/sampling/settings';
import type { SceneSource, SourceView } from '../../../../main/engine/sampling/sources';

export const DIM = 2;

export interface ViewSpec {
  role: 'ego' | 'exo';
  frames: number;
  offset?: number;
  timeScale?: number;
  dim?: number;
  name?: string;
}

let nextId = 1;

/** A scene whose views get fresh view and track ids; names default to ego1, ego2, exo1, ... */
export function makeScene(name: string, specs: ViewSpec[], options: Partial<Pick<SceneSource, 'split' | 'pairOnly'>> = {}): SceneSource {
  const counters = { ego: 0, exo: 0 };
  const views: SourceView[] = specs.map((spec) => {
    const id = nextId++;
    const view: SourceView = {
      viewId: id,
      name: spec.name ?? `${spec.role}${++counters[spec.role]}`,
      role: spec.role,
      syncOffsetFrames: spec.offset ?? 0,
      frameCount: spec.frames,
      featureDim: spec.dim ?? DIM,
      trackId: 1000 + id,
    };
    if (spec.timeScale !== undefined) view.timeScale = spec.timeScale;
    return view;
  });
  return { sceneId: nextId++, name, split: options.split === undefined ? 'train' : options.split, pairOnly: options.pairOnly ?? false, views };
}

/** A scene of `ego` ego and `exo` exo views of `frames` frames each, no offsets. */
export function gridScene(name: string, ego: number, exo: number, frames: number): SceneSource {
  const specs: ViewSpec[] = [];
  for (let i = 0; i < ego; i++) specs.push({ role: 'ego', frames });
  for (let i = 0; i < exo; i++) specs.push({ role: 'exo', frames });
  return makeScene(name, specs);
}

export function makeSettings(overrides: { sampling?: Partial<SamplerSettings['sampling']> } & Partial<Omit<SamplerSettings, 'sampling'>> = {}): SamplerSettings {
  const { sampling, ...rest } = overrides;
  return {
    sampling: { window: 4, stride: 10, scaleMin: 1, scaleMax: 1, resample: 'linear', clipsPerSet: 3, ...sampling },
    batchPairs: 6,
    batchGroups: 6,
    inputDim: DIM,
    split: 'train',
    views: null,
    ...rest,
  };
}

/** Rows [frame, trackId] for every track of `scenes`; records each read. */
export class FrameIndexReader implements FrameReader {
  readonly reads: { trackId: number; start: number; end: number }[] = [];
  readonly #frames = new Map<number, number>();

  constructor(scenes: readonly SceneSource[]) {
    for (const scene of scenes) for (const view of scene.views) this.#frames.set(view.trackId, view.frameCount);
  }

  readFrames(trackId: number, start: number, end: number): Float32Array {
    const frames = this.#frames.get(trackId);
    if (frames === undefined || start < 0 || end > frames || end <= start) {
      throw new RangeError(`track ${trackId}: bad range [${start}, ${end}) of ${frames}`);
    }
    this.reads.push({ trackId, start, end });
    const out = new Float32Array((end - start) * DIM);
    for (let t = start; t < end; t++) {
      out[(t - start) * DIM] = t;
      out[(t - start) * DIM + 1] = trackId;
    }
    return out;
  }
}

/** Feature `feature` of each of the `tokens` tokens of clip `clip` in a [clips, tokens, DIM] buffer. */
export function tokenFeature(buffer: Float32Array, clip: number, tokens: number, feature = 0): number[] {
  const values: number[] = [];
  for (let k = 0; k < tokens; k++) values.push(buffer[(clip * tokens + k) * DIM + feature]!);
  return values;
}
