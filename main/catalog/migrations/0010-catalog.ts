// Migration 10: the catalog core. A dataset (a root folder on this machine) owns scenes; a scene owns its
// synchronized views; a view owns its feature/video track. Paths in tracks are relative to the dataset root so a
// moved dataset only needs its root re-pointed.
import type { SqliteDatabase } from '../../../native/sqlite';

export function up(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE datasets (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (name <> ''),
      root TEXT NOT NULL CHECK (root <> ''),
      format TEXT NOT NULL CHECK (format <> ''),
      meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE UNIQUE INDEX datasets_byName ON datasets (name);

    CREATE TABLE scenes (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (name <> ''),
      split TEXT CHECK (split IN ('train', 'val', 'test')),
      meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta))
    ) STRICT;
    CREATE UNIQUE INDEX scenes_byDataset ON scenes (dataset_id, name);

    CREATE TABLE views (
      id INTEGER PRIMARY KEY,
      scene_id INTEGER NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (name <> ''),
      role TEXT NOT NULL CHECK (role IN ('ego', 'exo')),
      camera_id TEXT,
      sync_offset_frames INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE UNIQUE INDEX views_byScene ON views (scene_id, name);

    -- One track per view for now (the unique index); dropping it later lets a view carry several feature kinds.
    CREATE TABLE tracks (
      id INTEGER PRIMARY KEY,
      view_id INTEGER NOT NULL REFERENCES views (id) ON DELETE CASCADE,
      feature_path TEXT,
      feature_layout TEXT CHECK (feature_layout IN ('TF', 'FT')),
      feature_dtype TEXT,
      feature_dim INTEGER CHECK (feature_dim > 0),
      feature_fps REAL CHECK (feature_fps > 0),
      frame_count INTEGER CHECK (frame_count >= 0),
      video_path TEXT,
      video_fps REAL CHECK (video_fps > 0),
      video_duration_s REAL CHECK (video_duration_s >= 0),
      video_width INTEGER CHECK (video_width > 0),
      video_height INTEGER CHECK (video_height > 0),
      video_codec TEXT
    ) STRICT;
    CREATE UNIQUE INDEX tracks_byView ON tracks (view_id);
  `);
}
