// Queries on the runs table: creating a run with its resolved config, status changes with their timestamps
// (started_at at the first 'running', finished_at at a terminal status), summaries and one run in full.
import type { RunStatus, RunSummary } from '../../contract/api';
import type { SqliteDatabase } from '../../native/sqlite';

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];

export interface NewRun {
  datasetId: number | null;
  kind: string;
  config: string;
  seed: number | null;
  backend: string | null;
  backendReport: string | null;
}

export interface RunRow extends RunSummary {
  config: string;
  backendReport: string | null;
  error: string | null;
}

const SUMMARY_COLUMNS = `id, dataset_id AS datasetId, kind, status, backend, seed,
  started_at AS startedAt, finished_at AS finishedAt`;

export class RunQueries {
  readonly #insert;
  readonly #setStatus;
  readonly #all;
  readonly #ofDataset;
  readonly #byId;
  readonly #exists;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[NewRun]>(
      `INSERT INTO runs (dataset_id, kind, config, seed, backend, backend_report)
       VALUES (@datasetId, @kind, @config, @seed, @backend, @backendReport)`,
    );
    this.#setStatus = db.prepare<[{ id: number; status: RunStatus; error: string | null }]>(
      `UPDATE runs SET
         status = @status,
         error = @error,
         started_at = CASE WHEN @status = 'running'
           THEN coalesce(started_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ELSE started_at END,
         finished_at = CASE WHEN @status IN ('completed', 'failed', 'cancelled')
           THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE NULL END
       WHERE id = @id`,
    );
    this.#all = db.prepare<[], RunSummary>(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY id DESC`);
    this.#ofDataset = db.prepare<[number], RunSummary>(
      `SELECT ${SUMMARY_COLUMNS} FROM runs WHERE dataset_id = ? ORDER BY id DESC`,
    );
    this.#byId = db.prepare<[number], RunRow>(
      `SELECT ${SUMMARY_COLUMNS}, config, backend_report AS backendReport, error FROM runs WHERE id = ?`,
    );
    this.#exists = db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE id = ?');
  }

  insert(run: NewRun): number {
    return Number(this.#insert.run(run).lastInsertRowid);
  }

  /** Returns whether a run was changed. The error describes the latest status only, so it is replaced each time. */
  setStatus(id: number, status: RunStatus, error: string | null): boolean {
    return this.#setStatus.run({ id, status, error }).changes > 0;
  }

  /** Newest first; all runs, or those of one dataset. */
  list(datasetId?: number): RunSummary[] {
    return datasetId === undefined ? this.#all.all() : this.#ofDataset.all(datasetId);
  }

  byId(id: number): RunRow | undefined {
    return this.#byId.get(id);
  }

  exists(id: number): boolean {
    return this.#exists.get(id) !== undefined;
  }
}
