// Migration 20: annotations. Action segments on a scene's timeline (scene frames, end exclusive) and the
// per-dataset label vocabularies they draw from ('actions' collects every segment label).
import type { SqliteDatabase } from '../../../native/sqlite';

export function up(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE segments (
      id INTEGER PRIMARY KEY,
      scene_id INTEGER NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,
      start_frame INTEGER NOT NULL CHECK (start_frame >= 0),
      end_frame INTEGER NOT NULL,
      label TEXT NOT NULL CHECK (label <> ''),
      verb TEXT,
      object TEXT,
      source TEXT NOT NULL DEFAULT 'imported' CHECK (source IN ('imported', 'manual')),
      CHECK (end_frame > start_frame)
    ) STRICT;
    CREATE INDEX segments_byScene ON segments (scene_id, start_frame);

    CREATE TABLE vocabularies (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (name <> '')
    ) STRICT;
    CREATE UNIQUE INDEX vocabularies_byDataset ON vocabularies (dataset_id, name);

    -- Row order (id) is the class order: importers insert labels in their dataset's class-id order.
    CREATE TABLE vocabulary_labels (
      id INTEGER PRIMARY KEY,
      vocabulary_id INTEGER NOT NULL REFERENCES vocabularies (id) ON DELETE CASCADE,
      label TEXT NOT NULL CHECK (label <> ''),
      verb TEXT,
      object TEXT
    ) STRICT;
    CREATE UNIQUE INDEX vocabulary_labels_byVocabulary ON vocabulary_labels (vocabulary_id, label);
  `);
}
