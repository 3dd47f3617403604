// Generates the demo dataset: a synthetic multi-view tabletop assembly task whose ego and exo feature tracks are
// hard to match raw but alignable by one shared encoder (see ./features.ts), with one small video per view and the
// ground truth kept aside. Output, in the generic folder format (main/importers/folder/manifest.ts):
//   <outDir>/manifest.json, <outDir>/<scene>/<view>.npy (+ .webm or .mp4), <outDir>/ground-truth.json.
// Deterministic: the same options give the same bytes of features and manifest.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../../contract/errors';
import { encodeVideo, videoExtension, type VideoEncoder } from '../../native/ffmpeg';
import { NpyWriter } from '../formats/npy';
import { DEMO_GENERATOR, FOLDER_FORMAT, FOLDER_FORMAT_VERSION, MANIFEST_FILE, type FolderManifest, type ManifestView } from '../importers/folder/manifest';
import { DemoFeatureModel } from './features';
import { DemoLatentModel } from './latent';
import { resolveDemoOptions, type DemoOptions } from './options';
import { planDemo, visibleSegments, type DemoScenePlan, type DemoViewPlan } from './plan';
import { renderViewVideo } from './render';
import { demoVocabulary } from './vocabulary';

export const GROUND_TRUTH_FILE = 'ground-truth.json';

export interface DemoProgress {
  done: number;
  total: number;
  what: string;
}

export interface GeneratedDemo {
  manifestPath: string;
  groundTruthPath: string;
  options: DemoOptions;
}

const featureFile = (scene: DemoScenePlan, view: DemoViewPlan) => `${scene.name}/${view.name}.npy`;
const videoFile = (scene: DemoScenePlan, view: DemoViewPlan, options: DemoOptions) =>
  `${scene.name}/${view.name}.${videoExtension[options.videoCodec]}`;

function manifestOf(plan: DemoScenePlan[], options: DemoOptions): FolderManifest {
  const durationS = (scene: DemoScenePlan) => scene.frameCount / options.fps;
  return {
    format: FOLDER_FORMAT,
    version: FOLDER_FORMAT_VERSION,
    name: `demo (seed ${options.seed})`,
    generator: { name: DEMO_GENERATOR, version: 1, options: { ...options } },
    fps: options.fps,
    vocabulary: demoVocabulary.map(({ label, verb, object }) => ({ label, verb, object })),
    scenes: plan.map((scene) => ({
      name: scene.name,
      split: scene.split,
      views: scene.views.map((view): ManifestView => ({
        name: view.name,
        role: view.role,
        camera: view.camera,
        syncOffsetFrames: view.syncOffsetFrames,
        features: { file: featureFile(scene, view), layout: 'TF', dtype: options.featureDtype },
        ...(options.videos
          ? {
              video: {
                file: videoFile(scene, view, options),
                fps: options.fps,
                durationS: durationS(scene),
                width: options.videoWidth,
                height: options.videoHeight,
                codec: options.videoCodec,
              },
            }
          : {}),
      })),
      segments: visibleSegments(scene).map(({ startFrame, endFrame, label, verb, object }) => ({ startFrame, endFrame, label, verb, object })),
    })),
  };
}

function groundTruthOf(plan: DemoScenePlan[], options: DemoOptions) {
  return {
    format: 'evgap-demo-ground-truth',
    version: 1,
    options,
    scenes: plan.map((scene) => ({
      name: scene.name,
      split: scene.split,
      frameCount: scene.frameCount,
      segments: visibleSegments(scene),
      /** The whole script, including the padding before and after the scene that offset views see. */
      script: scene.segments,
      views: scene.views.map(({ name, role, camera, syncOffsetFrames, paramsSeed }) => ({ name, role, camera, syncOffsetFrames, paramsSeed })),
    })),
  };
}

/** Writes the demo dataset into `outDir` (created; must be empty if it exists). */
export async function generateDemo(
  outDir: string,
  overrides: Partial<DemoOptions> = {},
  onProgress: (progress: DemoProgress) => void = () => undefined,
): Promise<GeneratedDemo> {
  const options = resolveDemoOptions(overrides);
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new ConflictError(`demo output folder ${outDir} is not empty`);
  }
  const plan = planDemo(options);
  const latentModel = new DemoLatentModel(options.seed);
  const featureModel = new DemoFeatureModel(options.seed, options.featureDim);
  const viewsPerScene = options.egoViews + options.exoViews;
  const total = plan.length * viewsPerScene * (options.videos ? 2 : 1) + 1;
  let done = 0;
  const step = (what: string) => onProgress({ done: ++done, total, what });

  for (const scene of plan) {
    mkdirSync(join(outDir, scene.name), { recursive: true });
    const latent = latentModel.sceneLatent(scene, options.fps);
    for (const [index, view] of scene.views.entries()) {
      const writer = NpyWriter.create(join(outDir, featureFile(scene, view)), {
        dtype: options.featureDtype,
        rows: scene.frameCount,
        cols: options.featureDim,
      });
      try {
        featureModel.writeViewTrack(writer, scene, view, latent, options.fps);
        writer.close();
      } catch (error) {
        writer.abort();
        throw error;
      }
      step(`${scene.name}/${view.name} features`);
      // Let progress reach listeners between views.
      await new Promise((resolve) => setImmediate(resolve));
      if (!options.videos) continue;
      const encoder: VideoEncoder = encodeVideo({
        file: join(outDir, videoFile(scene, view, options)),
        width: options.videoWidth,
        height: options.videoHeight,
        fps: options.fps,
        codec: options.videoCodec,
      });
      try {
        const placement = view.role === 'ego' ? { index, count: options.egoViews } : { index: index - options.egoViews, count: options.exoViews };
        await renderViewVideo(encoder, scene, view, placement, { width: options.videoWidth, height: options.videoHeight, fps: options.fps });
        await encoder.finish();
      } catch (error) {
        encoder.abort();
        throw error;
      }
      step(`${scene.name}/${view.name} video`);
    }
  }

  const manifestPath = join(outDir, MANIFEST_FILE);
  const groundTruthPath = join(outDir, GROUND_TRUTH_FILE);
  writeFileSync(groundTruthPath, JSON.stringify(groundTruthOf(plan, options), null, 2) + '\n');
  // The manifest comes last: a folder with a manifest is a complete dataset.
  writeFileSync(manifestPath, JSON.stringify(manifestOf(plan, options), null, 2) + '\n');
  step('manifest');
  return { manifestPath, groundTruthPath, options };
}
