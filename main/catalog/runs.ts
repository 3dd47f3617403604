// Queries on the runs table: creating a run with its resolved config (and the pipeline that started it), status
// changes with their timestamps (started_at at the first 'running', finished_at at a terminal status), its name
// and tags (run_tags), summaries — a quick pipeline's runs marked quick, read from the pipeline's stored request —
// and one run in full.
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
  parentRunId: number | null;
}

/** A run that ran elsewhere: its final status and times come with it. */
export interface FinishedRun extends NewRun {
  status: RunStatus;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunRow extends RunSummary {
  config: string;
  backendReport: string | null;
  error: string | null;
}

/** A summary row as SQLite returns it: tags as a JSON array, quick as 0 or 1. */
type StoredSummary = Omit<RunSummary, 'tags' | 'quick'> & { tags: string; quick: number };

// A run is quick when its own stored pipeline request says so, or its parent pipeline's does.
const SUMMARY_COLUMNS = `r.id, r.dataset_id AS datasetId, r.kind, r.status, r.backend, r.seed,
  r.started_at AS startedAt, r.finished_at AS finishedAt, r.name, r.parent_run_id AS parentRunId, r.error,
  (SELECT json_group_array(tag) FROM (SELECT tag FROM run_tags WHERE run_id = r.id ORDER BY tag)) AS tags,
  (coalesce(json_extract(r.config, '$.request.quick'), 0) = 1 OR coalesce(json_extract(p.config, '$.request.quick'), 0) = 1) AS quick`;
const SUMMARY_FROM = 'runs r LEFT JOIN runs p ON p.id = r.parent_run_id';

function summaryOf<Row extends StoredSummary>(row: Row): Omit<Row, 'tags' | 'quick'> & { tags: string[]; quick: boolean } {
  return { ...row, tags: JSON.parse(row.tags) as string[], quick: row.quick === 1 };
}

export class RunQueries {
  readonly #insert;
  readonly #insertFinished;
  readonly #setStatus;
  readonly #all;
  readonly #byId;
  readonly #exists;
  readonly #setName;
  readonly #tags;
  readonly #addTag;
  readonly #removeTag;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[NewRun]>(
      `INSERT INTO runs (dataset_id, kind, config, seed, backend, backend_report, parent_run_id)
       VALUES (@datasetId, @kind, @config, @seed, @backend, @backendReport, @parentRunId)`,
    );
    this.#insertFinished = db.prepare<[FinishedRun]>(
      `INSERT INTO runs (dataset_id, kind, config, seed, backend, backend_report, parent_run_id, status, error, started_at, finished_at)
       VALUES (@datasetId, @kind, @config, @seed, @backend, @backendReport, @parentRunId, @status, @error, @startedAt, @finishedAt)`,
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
    this.#all = db.prepare<[{ datasetId: number | null; tag: string | null }], StoredSummary>(
      `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM}
       WHERE (@datasetId IS NULL OR r.dataset_id = @datasetId)
         AND (@tag IS NULL OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = @tag))
       ORDER BY r.id DESC`,
    );
    this.#byId = db.prepare<[number], StoredSummary & Omit<RunRow, keyof RunSummary>>(
      `SELECT ${SUMMARY_COLUMNS}, r.config, r.backend_report AS backendReport FROM ${SUMMARY_FROM} WHERE r.id = ?`,
    );
    this.#exists = db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE id = ?');
    this.#setName = db.prepare<[{ id: number; name: string | null }]>('UPDATE runs SET name = @name WHERE id = @id');
    this.#tags = db.prepare<[number], { tag: string }>('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag');
    this.#addTag = db.prepare<[{ runId: number; tag: string }]>('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (@runId, @tag)');
    this.#removeTag = db.prepare<[{ runId: number; tag: string }]>('DELETE FROM run_tags WHERE run_id = @runId AND tag = @tag');
  }

  insert(run: NewRun): number {
    return Number(this.#insert.run(run).lastInsertRowid);
  }

  insertFinished(run: FinishedRun): number {
    return Number(this.#insertFinished.run(run).lastInsertRowid);
  }

  /** Returns whether a run was changed. The error describes the latest status only, so it is replaced each time. */
  setStatus(id: number, status: RunStatus, error: string | null): boolean {
    return this.#setStatus.run({ id, status, error }).changes > 0;
  }

  /** Newest first; all runs, or those of one dataset, or those with a tag. */
  list(filter: { datasetId?: number; tag?: string } = {}): RunSummary[] {
    return this.#all.all({ datasetId: filter.datasetId ?? null, tag: filter.tag ?? null }).map(summaryOf);
  }

  byId(id: number): RunRow | undefined {
    const row = this.#byId.get(id);
    return row && summaryOf(row);
  }

  setName(id: number, name: string | null): boolean {
    return this.#setName.run({ id, name }).changes > 0;
  }

  tags(runId: number): string[] {
    return this.#tags.all(runId).map((row) => row.tag);
  }

  addTag(runId: number, tag: string): void {
    this.#addTag.run({ runId, tag });
  }

  removeTag(runId: number, tag: string): void {
    this.#removeTag.run({ runId, tag });
  }

  exists(id: number): boolean {
    return this.#exists.get(id) !== undefined;
  }
}
