// Where an Ego-Exo4D import finds each take camera's features, and what kind they are.
//
// As shipped (`egoexo --parts features/omnivore_video` or `features/maws_clip_2b`): one torch.save file per take,
// camera and stream, `features/<kind>/<take_uid>_<cam_id>_<stream_id>.pt` (stream `rgb` for Aria, `0` for GoPros),
// each a [T, F] tensor ([T, 1, F] as Ego4D's extraction stacks batch-of-one outputs). The kinds (Ego-Exo4D's
// docs/data/features.md; Ego4D's ego4d/features/configs/egoexo_*.yaml):
//   omnivore_video  Omnivore Swin-L's video head: one feature per 16 frames of 30 fps video (1.875/s), each over
//                   the 32 frames [16·i, 16·i + 32), the last one backed up to end at the video's end; float32
//   maws_clip_2b    MAWS CLIP ViT-2B, an image model: one feature per frame (30/s); float16 (the model runs in half)
// The folder given may be the kind's own folder (its name tells the kind), `features/` holding the kinds' folders
// (the kind is chosen, omnivore_video by default), or any folder of such .pt files with the kind given.
// Also read: the earlier layout of one .npy per take and camera, `<features>/<take_name or take_uid>/<cam_id>.npy`
// (per frame unless a kind with windows is given).
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OMNIVORE_WINDOWS, type FeatureWindows } from '../../features/featureWindows';
import { ImportFormatError } from '../common/errors';
import { isFile, isFolder } from '../common/datasetPaths';
import type { Take, TakeCamera } from './takes';

export type EgoExo4dFeatureKind = 'omnivore_video' | 'maws_clip_2b';

export interface EgoExo4dFeatureKindInfo {
  /** One feature per window of frames, or null: one per frame. */
  windows: FeatureWindows | null;
  description: string;
}

export const EGOEXO4D_FEATURE_KINDS: Readonly<Record<EgoExo4dFeatureKind, EgoExo4dFeatureKindInfo>> = {
  omnivore_video: { windows: OMNIVORE_WINDOWS, description: 'Omnivore Swin-L video features, one per 16 frames over 32-frame windows' },
  maws_clip_2b: { windows: null, description: 'MAWS CLIP ViT-2B image features, one per frame' },
};
export const EGOEXO4D_FEATURE_KIND_NAMES = Object.keys(EGOEXO4D_FEATURE_KINDS) as EgoExo4dFeatureKind[];

export function isEgoExo4dFeatureKind(name: string): name is EgoExo4dFeatureKind {
  return Object.hasOwn(EGOEXO4D_FEATURE_KINDS, name);
}

export type FeatureSource =
  /** `<take_uid>_<cam_id>_<stream_id>.pt` files in `folder` (listed once: `files`). */
  | { layout: 'pt'; folder: string; kind: EgoExo4dFeatureKind; files: ReadonlySet<string> }
  /** `<take_name or take_uid>/<cam_id>.npy` under `folder`; kind null: per-frame features of an unnamed kind. */
  | { layout: 'npy'; folder: string; kind: EgoExo4dFeatureKind | null };

const PT_FILE = /^[^_/]+_[^_/]+_[^_/]+\.pt$/;

function ptFiles(folder: string): Set<string> {
  return new Set(readdirSync(folder).filter((name) => PT_FILE.test(name)));
}

/**
 * The features in `folder` (already checked to be a folder): its name may say the kind (`omnivore_video`,
 * `maws_clip_2b`); else it may hold the kinds' folders; else .pt files (whose kind must be given) or .npy folders.
 */
export function resolveFeatureSource(folder: string, kind?: EgoExo4dFeatureKind): FeatureSource {
  const named = basename(folder);
  if (isEgoExo4dFeatureKind(named)) {
    if (kind !== undefined && kind !== named) {
      throw new ImportFormatError(folder, `this is the ${named} folder, but the feature kind asked for is ${kind}`);
    }
    return { layout: 'pt', folder, kind: named, files: ptFiles(folder) };
  }
  const present = EGOEXO4D_FEATURE_KIND_NAMES.filter((name) => isFolder(join(folder, name)));
  if (present.length > 0) {
    const chosen = kind ?? present[0]!;
    if (!present.includes(chosen)) {
      throw new ImportFormatError(folder, `no ${chosen} folder here (found ${present.join(', ')})`);
    }
    return { layout: 'pt', folder: join(folder, chosen), kind: chosen, files: ptFiles(join(folder, chosen)) };
  }
  const files = ptFiles(folder);
  if (files.size > 0) {
    if (kind === undefined) {
      throw new ImportFormatError(
        folder,
        `holds <take_uid>_<cam_id>_<stream_id>.pt files of an unnamed kind: say which (${EGOEXO4D_FEATURE_KIND_NAMES.join(' or ')}; ` +
          '--feature-kind), since omnivore_video has one feature per 16 frames and maws_clip_2b one per frame',
      );
    }
    return { layout: 'pt', folder, kind, files };
  }
  return { layout: 'npy', folder, kind: kind ?? null };
}

/** The file a camera's features should be in (`found` false when it is not there). */
export function cameraFeatureFile(source: FeatureSource, take: Take, camera: TakeCamera): { file: string; found: boolean } {
  if (source.layout === 'pt') {
    const name = `${take.uid}_${camera.camId}_${camera.streamId}.pt`;
    return { file: join(source.folder, name), found: source.files.has(name) };
  }
  const folder = [join(source.folder, take.name), join(source.folder, take.uid)].find(isFolder) ?? join(source.folder, take.name);
  const file = join(folder, `${camera.camId}.npy`);
  return { file, found: isFile(file) };
}
