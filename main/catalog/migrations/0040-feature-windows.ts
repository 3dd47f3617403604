// Migration 40: windowed feature tracks. A track whose rows are features of windows of frames rather than one per
// frame (Ego-Exo4D's omnivore_video: 32-frame windows every 16 frames) records the stride and the window length in
// video frames; its frame_count then counts video frames and feature_fps is the video's frame rate, so every
// reader of scene time keeps counting in frames (main/features/featureWindows.ts maps frames to rows). Both are
// NULL for a per-frame track, and set together.
import type { SqliteDatabase } from '../../../native/sqlite';

export function up(db: SqliteDatabase): void {
  db.exec(`
    ALTER TABLE tracks ADD COLUMN feature_stride_frames INTEGER CHECK (feature_stride_frames > 0);
    ALTER TABLE tracks ADD COLUMN feature_window_frames INTEGER
      CHECK (feature_window_frames > 0 AND (feature_window_frames IS NULL) = (feature_stride_frames IS NULL));
  `);
}
