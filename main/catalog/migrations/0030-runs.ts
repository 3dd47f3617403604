// Migration 30: experiments. Saved sampling configurations, runs (with their resolved config, so a run can be
// reproduced), their metric series, checkpoints and evaluation results. A run outlives its dataset (dataset_id
// becomes NULL): the results stay readable after the data is removed.
import type { SqliteDatabase } from '../../../native/sqlite';

export function up(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE sampling_configs (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (name <> ''),
      config TEXT NOT NULL CHECK (json_valid(config)),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE UNIQUE INDEX sampling_configs_byDataset ON sampling_configs (dataset_id, name);

    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL,
      kind TEXT NOT NULL CHECK (kind <> ''),
      config TEXT NOT NULL CHECK (json_valid(config)),
      status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
      backend TEXT,
      backend_report TEXT CHECK (backend_report IS NULL OR json_valid(backend_report)),
      seed INTEGER,
      error TEXT,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      started_at TEXT,
      finished_at TEXT
    ) STRICT;
    CREATE INDEX runs_byDataset ON runs (dataset_id, id);

    -- value is NULL when the logged number was NaN (SQLite has no NaN); one value per (run, name, step).
    CREATE TABLE run_metrics (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL CHECK (step >= 0),
      name TEXT NOT NULL CHECK (name <> ''),
      value REAL
    ) STRICT;
    CREATE UNIQUE INDEX run_metrics_byRunNameStep ON run_metrics (run_id, name, step);

    CREATE TABLE checkpoints (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL CHECK (step >= 0),
      path TEXT NOT NULL CHECK (path <> ''),
      meta TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(meta)),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE INDEX checkpoints_byRun ON checkpoints (run_id, step);

    CREATE TABLE evaluation_results (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      task TEXT NOT NULL CHECK (task <> ''),
      view TEXT,
      variant TEXT,
      metric TEXT NOT NULL CHECK (metric <> ''),
      value REAL,
      meta TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(meta)),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE INDEX evaluation_results_byRun ON evaluation_results (run_id, task, metric);
  `);
}
