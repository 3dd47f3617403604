// Settings of the demo dataset generator, their defaults (sized to generate in about a minute on two cores and
// stay under ~400 MB on disk) and their validation.
import { ArgumentError } from '../../contract/errors';
import type { VideoCodec } from '../../native/ffmpeg';
import type { NpyDtype } from '../formats/npy';

export interface DemoOptions {
  /** Everything generated follows from this seed: same seed, same bytes. */
  seed: number;
  /** Number of scenes; the last ones are held out ('test', at least 2), one before them is 'val' from 6 scenes up. */
  scenes: number;
  /** Ego (head-mounted) views per scene, named e1..eM. */
  egoViews: number;
  /** Exo (fixed) views per scene, named v1..vN. */
  exoViews: number;
  /** Feature dimension per frame (Assembly101's TSM features are 2048-d). */
  featureDim: number;
  /** Frame rate of features and videos. */
  fps: number;
  /** Length of each scene (every view has sceneSeconds * fps frames). */
  sceneSeconds: number;
  /** Sync offsets are drawn uniformly from [-max, max] frames per view. */
  maxSyncOffsetFrames: number;
  /** float16 halves the disk size; the features' noise is far above its precision. */
  featureDtype: NpyDtype;
  /** Render one video per view (the slowest part); features alone are enough for training. */
  videos: boolean;
  videoWidth: number;
  videoHeight: number;
  videoCodec: VideoCodec;
}

export const defaultDemoOptions: DemoOptions = {
  seed: 1,
  scenes: 8,
  egoViews: 4,
  exoViews: 8,
  featureDim: 2048,
  fps: 15,
  sceneSeconds: 48,
  maxSyncOffsetFrames: 8,
  featureDtype: 'float16',
  videos: true,
  videoWidth: 160,
  videoHeight: 120,
  videoCodec: 'vp9',
};

function checkInteger(name: keyof DemoOptions, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(`demo option ${name}: expected an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Defaults overlaid with `overrides`, every field checked. */
export function resolveDemoOptions(overrides: Partial<DemoOptions> = {}): DemoOptions {
  const options: DemoOptions = { ...defaultDemoOptions };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in defaultDemoOptions)) throw new ArgumentError(`demo option ${key}: unknown option`);
    if (value !== undefined) Object.assign(options, { [key]: value });
  }
  checkInteger('seed', options.seed, 0, 0xffffffff);
  checkInteger('scenes', options.scenes, 3, 1000);
  checkInteger('egoViews', options.egoViews, 1, 64);
  checkInteger('exoViews', options.exoViews, 1, 64);
  checkInteger('featureDim', options.featureDim, 8, 65536);
  checkInteger('fps', options.fps, 1, 120);
  checkInteger('maxSyncOffsetFrames', options.maxSyncOffsetFrames, 0, 10_000);
  checkInteger('videoWidth', options.videoWidth, 16, 4096);
  checkInteger('videoHeight', options.videoHeight, 16, 4096);
  if (typeof options.sceneSeconds !== 'number' || !(options.sceneSeconds >= 4) || options.sceneSeconds > 3600) {
    throw new ArgumentError(`demo option sceneSeconds: expected a number in [4, 3600], got ${String(options.sceneSeconds)}`);
  }
  const frames = Math.round(options.sceneSeconds * options.fps);
  if (options.maxSyncOffsetFrames > frames / 4) {
    throw new ArgumentError(`demo option maxSyncOffsetFrames: expected at most a quarter of a scene (${Math.floor(frames / 4)} frames), got ${options.maxSyncOffsetFrames}`);
  }
  if (options.videoWidth % 2 !== 0 || options.videoHeight % 2 !== 0) {
    throw new ArgumentError(`demo option videoWidth/videoHeight: expected even sizes, got ${options.videoWidth}x${options.videoHeight}`);
  }
  if (options.featureDtype !== 'float16' && options.featureDtype !== 'float32') {
    throw new ArgumentError(`demo option featureDtype: expected "float16" or "float32", got ${String(options.featureDtype)}`);
  }
  if (options.videoCodec !== 'vp9' && options.videoCodec !== 'h264') {
    throw new ArgumentError(`demo option videoCodec: expected "vp9" or "h264", got ${String(options.videoCodec)}`);
  }
  if (typeof options.videos !== 'boolean') {
    throw new ArgumentError(`demo option videos: expected true or false, got ${String(options.videos)}`);
  }
  return options;
}
