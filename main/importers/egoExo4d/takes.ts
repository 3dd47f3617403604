// Ego-Exo4D's takes.json: an array of takes, each with take_name, take_uid, root_dir (`takes/<take_name>`),
// duration_sec and frame_aligned_videos: { <cam_id>: { <stream_id>: { cam_id, relative_path, ... } } }. Aria
// glasses (`aria01`, ego) have several streams of which `rgb` is the video; exocentric GoPros (`cam01`, `gp01`, ...)
// have stream `0`. A camera's features are named after its take, camera and stream: `<take_uid>_<cam_id>_<stream_id>`.
// Entries that are not cameras (`collage`, `best_exo`) are skipped. Errors name the take by index and field.
// Reference: Ego-Exo4D's documentation (docs/data/metadata.md "Takes", docs/data/features.md) and Ego4D's
// ego4d/features/config.py, which names each extracted feature file that way.
import type { Role } from '../../../contract/api';
import { ImportFormatError } from '../common/errors';
import { readJsonFile } from '../common/jsonFile';

export interface TakeCamera {
  camId: string;
  role: Role;
  /** The stream whose video (and features) stand for the camera: `rgb` for Aria, the first (`0`) for a GoPro. */
  streamId: string;
  /** Video path relative to the take's root_dir, when listed. */
  relativePath: string | null;
}

export interface Take {
  name: string;
  uid: string;
  rootDir: string | null;
  taskName: string | null;
  /** duration_sec: how long the take lasts, when listed. */
  durationS: number | null;
  cameras: TakeCamera[];
}

const NOT_CAMERAS = new Set(['collage', 'best_exo']);
const EGO_STREAM = 'rgb';

export function cameraRole(camId: string): Role | undefined {
  if (/^aria\d*$/i.test(camId)) return 'ego';
  if (/^(cam|gp)\d+$/i.test(camId)) return 'exo';
  return undefined;
}

function text(value: unknown, where: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ImportFormatError(where, `${field}: expected a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImportFormatError(where, `expected an object, got ${JSON.stringify(value)?.slice(0, 60)}`);
  return value as Record<string, unknown>;
}

function cameras(value: unknown, where: string): TakeCamera[] {
  const out: TakeCamera[] = [];
  for (const [camId, streams] of Object.entries(record(value, `${where}.frame_aligned_videos`))) {
    if (NOT_CAMERAS.has(camId)) continue;
    const role = cameraRole(camId);
    if (!role) throw new ImportFormatError(`${where}.frame_aligned_videos.${camId}`, 'camera id is neither an Aria (aria01) nor an exocentric camera (cam01, gp01)');
    const streamMap = record(streams, `${where}.frame_aligned_videos.${camId}`);
    const streamId = role === 'ego' ? EGO_STREAM : (Object.keys(streamMap)[0] ?? '0');
    const stream = streamMap[streamId];
    const path = stream === undefined ? undefined : record(stream, `${where}.frame_aligned_videos.${camId}`).relative_path;
    out.push({ camId, role, streamId, relativePath: typeof path === 'string' ? path : null });
  }
  return out.sort((a, b) => (a.role === b.role ? a.camId.localeCompare(b.camId) : a.role === 'ego' ? -1 : 1));
}

export function readTakes(file: string): Take[] {
  const json = readJsonFile(file);
  if (!Array.isArray(json)) throw new ImportFormatError(file, 'expected an array of takes');
  return json.map((value, index) => {
    const where = `${file} [${index}]`;
    const take = record(value, where);
    return {
      name: text(take.take_name, where, 'take_name'),
      uid: text(take.take_uid, where, 'take_uid'),
      rootDir: typeof take.root_dir === 'string' ? take.root_dir : null,
      taskName: typeof take.task_name === 'string' ? take.task_name : null,
      durationS: typeof take.duration_sec === 'number' && take.duration_sec > 0 && Number.isFinite(take.duration_sec) ? take.duration_sec : null,
      cameras: cameras(take.frame_aligned_videos, where),
    };
  });
}

/** take_uid → split from annotations/splits.json (`take_uid_to_split`), when present. */
export function readTakeSplits(file: string): Map<string, 'train' | 'val' | 'test'> {
  const json = record(readJsonFile(file), file);
  const map = record(json.take_uid_to_split, `${file} take_uid_to_split`);
  const splits = new Map<string, 'train' | 'val' | 'test'>();
  for (const [uid, split] of Object.entries(map)) {
    if (split === 'train' || split === 'val' || split === 'test') splits.set(uid, split);
    else throw new ImportFormatError(`${file} take_uid_to_split.${uid}`, `expected train, val or test, got ${JSON.stringify(split)}`);
  }
  return splits;
}
