// Queries on the checkpoints table: where a run saved its weights at a step, with free-form meta.
import type { SqliteDatabase } from '../../native/sqlite';
import { fromJson } from './json';

export interface CheckpointRow {
  id: number;
  step: number;
  path: string;
  meta: unknown;
  createdAt: string;
}

export class CheckpointQueries {
  readonly #insert;
  readonly #ofRun;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[{ runId: number; step: number; path: string; meta: string }]>(
      'INSERT INTO checkpoints (run_id, step, path, meta) VALUES (@runId, @step, @path, @meta)',
    );
    this.#ofRun = db.prepare<[number], { id: number; step: number; path: string; meta: string; createdAt: string }>(
      'SELECT id, step, path, meta, created_at AS createdAt FROM checkpoints WHERE run_id = ? ORDER BY step, id',
    );
  }

  insert(checkpoint: { runId: number; step: number; path: string; meta: string }): number {
    return Number(this.#insert.run(checkpoint).lastInsertRowid);
  }

  ofRun(runId: number): CheckpointRow[] {
    return this.#ofRun.all(runId).map((row) => ({ ...row, meta: fromJson(row.meta) }));
  }
}
