// Migration 60: what a researcher adds to a run and how runs belong together. A run may have a name (NULL: none)
// and tags (run_tags: one row per run and tag, deleted with the run); a pre-training run that a pipeline started
// records that pipeline (parent_run_id), so the runs list can group a pipeline's runs under it. A parent that is
// deleted leaves its children standing, ungrouped. Runs recorded before this migration have no parent: their
// pipeline did not record which runs it started in the catalog (its report.json lists them).
// Name and tag limits are contract/runLabels.ts's; the table only refuses empty values.
import type { SqliteDatabase } from '../../../native/sqlite';

export function up(db: SqliteDatabase): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN name TEXT CHECK (name IS NULL OR name <> '');
    ALTER TABLE runs ADD COLUMN parent_run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL;
    CREATE INDEX runs_byParent ON runs (parent_run_id);

    CREATE TABLE run_tags (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      tag TEXT NOT NULL CHECK (tag <> ''),
      PRIMARY KEY (run_id, tag)
    ) STRICT;
    CREATE INDEX run_tags_byTag ON run_tags (tag, run_id);
  `);
}
