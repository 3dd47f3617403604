// Queries on the views and tracks tables: a scene's views with their track (ego first, then exo, each by name),
// sync offsets, and the relative paths of a track's files.
import type { Role, TrackInfo, ViewInfo } from '../../contract/api';
import type { SqliteDatabase } from '../../native/sqlite';
import type { ValidTrack } from './validateImportSpec';

interface ViewRow {
  id: number;
  sceneId: number;
  name: string;
  role: Role;
  cameraId: string | null;
  syncOffsetFrames: number;
  trackId: number | null;
  featurePath: string | null;
  featureLayout: 'TF' | 'FT' | null;
  featureDtype: 'float32' | 'float16' | null;
  featureDim: number | null;
  featureFps: number | null;
  featureStrideFrames: number | null;
  featureWindowFrames: number | null;
  frameCount: number | null;
  videoPath: string | null;
  videoFps: number | null;
  videoDurationS: number | null;
  videoWidth: number | null;
  videoHeight: number | null;
}

const VIEW = `
  SELECT v.id, v.scene_id AS sceneId, v.name, v.role, v.camera_id AS cameraId,
    v.sync_offset_frames AS syncOffsetFrames,
    t.id AS trackId, t.feature_path AS featurePath, t.feature_layout AS featureLayout,
    t.feature_dtype AS featureDtype, t.feature_dim AS featureDim, t.feature_fps AS featureFps,
    t.feature_stride_frames AS featureStrideFrames, t.feature_window_frames AS featureWindowFrames, t.frame_count AS frameCount, t.video_path AS videoPath, t.video_fps AS videoFps,
    t.video_duration_s AS videoDurationS, t.video_width AS videoWidth, t.video_height AS videoHeight
  FROM views v LEFT JOIN tracks t ON t.view_id = v.id`;

function toViewInfo(row: ViewRow): ViewInfo {
  const { trackId, featurePath, featureDim, featureFps, frameCount, videoPath, videoFps, videoDurationS } = row;
  const track: TrackInfo | null =
    trackId === null
      ? null
      : {
          id: trackId,
          featurePath,
          featureLayout: row.featureLayout,
          featureDtype: row.featureDtype,
          featureDim,
          featureFps,
          featureStrideFrames: row.featureStrideFrames,
          featureWindowFrames: row.featureWindowFrames,
          frameCount,
          videoPath,
          videoFps,
          videoDurationS,
          videoWidth: row.videoWidth,
          videoHeight: row.videoHeight,
        };
  return {
    id: row.id,
    sceneId: row.sceneId,
    name: row.name,
    role: row.role,
    cameraId: row.cameraId,
    syncOffsetFrames: row.syncOffsetFrames,
    track,
  };
}

export class ViewQueries {
  readonly #ofScene;
  readonly #byId;
  readonly #setSyncOffset;
  readonly #insertView;
  readonly #insertTrack;
  readonly #trackFiles;

  constructor(db: SqliteDatabase) {
    this.#ofScene = db.prepare<[number], ViewRow>(
      `${VIEW} WHERE v.scene_id = ? ORDER BY CASE v.role WHEN 'ego' THEN 0 ELSE 1 END, v.name`,
    );
    this.#byId = db.prepare<[number], ViewRow>(`${VIEW} WHERE v.id = ?`);
    this.#setSyncOffset = db.prepare<[number, number]>('UPDATE views SET sync_offset_frames = ? WHERE id = ?');
    this.#insertView = db.prepare<
      [{ sceneId: number; name: string; role: Role; cameraId: string | null; syncOffsetFrames: number }]
    >(
      `INSERT INTO views (scene_id, name, role, camera_id, sync_offset_frames)
       VALUES (@sceneId, @name, @role, @cameraId, @syncOffsetFrames)`,
    );
    this.#insertTrack = db.prepare<[ValidTrack & { viewId: number }]>(
      `INSERT INTO tracks (view_id, feature_path, feature_layout, feature_dtype, feature_dim, feature_fps,
         feature_stride_frames, feature_window_frames, frame_count,
         video_path, video_fps, video_duration_s, video_width, video_height, video_codec)
       VALUES (@viewId, @featurePath, @featureLayout, @featureDtype, @featureDim, @featureFps,
         @featureStrideFrames, @featureWindowFrames, @frameCount,
         @videoPath, @videoFps, @videoDurationS, @videoWidth, @videoHeight, @videoCodec)`,
    );
    this.#trackFiles = db.prepare<[number], { root: string; featurePath: string | null; videoPath: string | null }>(
      `SELECT d.root, t.feature_path AS featurePath, t.video_path AS videoPath
       FROM tracks t JOIN views v ON v.id = t.view_id JOIN scenes s ON s.id = v.scene_id
         JOIN datasets d ON d.id = s.dataset_id
       WHERE t.id = ?`,
    );
  }

  ofScene(sceneId: number): ViewInfo[] {
    return this.#ofScene.all(sceneId).map(toViewInfo);
  }

  byId(viewId: number): ViewInfo | undefined {
    const row = this.#byId.get(viewId);
    return row && toViewInfo(row);
  }

  /** Returns whether a view was changed. */
  setSyncOffset(viewId: number, offsetFrames: number): boolean {
    return this.#setSyncOffset.run(offsetFrames, viewId).changes > 0;
  }

  insertView(view: { sceneId: number; name: string; role: Role; cameraId: string | null; syncOffsetFrames: number }): number {
    return Number(this.#insertView.run(view).lastInsertRowid);
  }

  insertTrack(viewId: number, track: ValidTrack): number {
    return Number(this.#insertTrack.run({ ...track, viewId }).lastInsertRowid);
  }

  /** The dataset root and the track's relative file paths, or undefined for an unknown track. */
  trackFiles(trackId: number): { root: string; featurePath: string | null; videoPath: string | null } | undefined {
    return this.#trackFiles.get(trackId);
  }
}
