// Queries on the run_metrics table: scalar series logged by training (loss, grad norm, ...). Logging a step again
// (a run resumed from an earlier checkpoint) replaces the value. SQLite stores NaN as NULL; it reads back as NaN.
import type { SqliteDatabase } from '../../native/sqlite';

export interface MetricRow {
  step: number;
  name: string;
  value: number;
}

export class RunMetricQueries {
  readonly #upsert;
  readonly #all;
  readonly #named;

  constructor(db: SqliteDatabase) {
    this.#upsert = db.prepare<[{ runId: number; step: number; name: string; value: number | null }]>(
      `INSERT INTO run_metrics (run_id, step, name, value) VALUES (@runId, @step, @name, @value)
       ON CONFLICT (run_id, name, step) DO UPDATE SET value = excluded.value`,
    );
    this.#all = db.prepare<[number], { step: number; name: string; value: number | null }>(
      'SELECT step, name, value FROM run_metrics WHERE run_id = ? ORDER BY name, step',
    );
    this.#named = db.prepare<[number, string], { step: number; name: string; value: number | null }>(
      `SELECT step, name, value FROM run_metrics
       WHERE run_id = ? AND name IN (SELECT value FROM json_each(?))
       ORDER BY name, step`,
    );
  }

  add(runId: number, row: MetricRow): void {
    this.#upsert.run({ runId, step: row.step, name: row.name, value: Number.isNaN(row.value) ? null : row.value });
  }

  /** Ordered by name, then step (the index order): each series is contiguous and ascending. */
  list(runId: number, names?: readonly string[]): MetricRow[] {
    const rows = names === undefined ? this.#all.all(runId) : this.#named.all(runId, JSON.stringify(names));
    return rows.map((row) => ({ step: row.step, name: row.name, value: row.value ?? Number.NaN }));
  }
}
