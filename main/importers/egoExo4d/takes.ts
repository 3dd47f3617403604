// Ego-Exo4D's takes.json: an array of takes, each with take_name, take_uid, root_dir (`takes/<take_name>`) and
// frame_aligned_videos: { <cam_id>: { <stream>: { cam_id, relative_path, ... } } }. Aria glasses (`aria01`, ego)
// have several streams of which `rgb` is the video; exocentric GoPros (`cam01`, `gp01`, ...) have stream `0`.
// Entries that are not cameras (`collage`, `best_exo`) are skipped. Errors name the take by index and field.
import { readFileSync } from 'node:fs';
import type { Role } from '../../../contract/api';
import { ImportFormatError } from '../common/errors';

export interface TakeCamera {
  camId: string;
  role: Role;
  /** Video path relative to the take's root_dir, when listed. */
  relativePath: string | null;
}

export interface Take {
  name: string;
  uid: string;
  rootDir: string | null;
  taskName: string | null;
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
    const stream = role === 'ego' ? streamMap[EGO_STREAM] : Object.values(streamMap)[0];
    const path = stream === undefined ? undefined : record(stream, `${where}.frame_aligned_videos.${camId}`).relative_path;
    out.push({ camId, role, relativePath: typeof path === 'string' ? path : null });
  }
  return out.sort((a, b) => (a.role === b.role ? a.camId.localeCompare(b.camId) : a.role === 'ego' ? -1 : 1));
}

export function readTakes(file: string): Take[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ImportFormatError(file, `not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(json)) throw new ImportFormatError(file, 'expected an array of takes');
  return json.map((value, index) => {
    const where = `${file} [${index}]`;
    const take = record(value, where);
    return {
      name: text(take.take_name, where, 'take_name'),
      uid: text(take.take_uid, where, 'take_uid'),
      rootDir: typeof take.root_dir === 'string' ? take.root_dir : null,
      taskName: typeof take.task_name === 'string' ? take.task_name : null,
      cameras: cameras(take.frame_aligned_videos, where),
    };
  });
}

/** take_uid → split from annotations/splits.json (`take_uid_to_split`), when present. */
export function readTakeSplits(file: string): Map<string, 'train' | 'val' | 'test'> {
  const json = record(JSON.parse(readFileSync(file, 'utf8')), file);
  const map = record(json.take_uid_to_split, `${file} take_uid_to_split`);
  const splits = new Map<string, 'train' | 'val' | 'test'>();
  for (const [uid, split] of Object.entries(map)) {
    if (split === 'train' || split === 'val' || split === 'test') splits.set(uid, split);
    else throw new ImportFormatError(`${file} take_uid_to_split.${uid}`, `expected train, val or test, got ${JSON.stringify(split)}`);
  }
  return splits;
}
