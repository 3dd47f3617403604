// Queries on the evaluation_results table: one metric value of one evaluation task (retrieval, TAS,
// anticipation, novel view) for a run, optionally per view and per compared variant (Base, +EVGAP, ...), and the
// seed that produced it (a pipeline repeated over seeds stores each seed's value).
import type { EvaluationRow } from '../../contract/api';
import type { SqliteDatabase } from '../../native/sqlite';

export interface NewEvaluationResult {
  runId: number;
  task: string;
  view: string | null;
  variant: string | null;
  metric: string;
  value: number | null;
  seed: number | null;
  meta: string;
}

type EvaluationResultRow = Omit<EvaluationRow, 'value'> & { value: number | null };

export class EvaluationResultQueries {
  readonly #insert;
  readonly #ofRun;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[NewEvaluationResult]>(
      `INSERT INTO evaluation_results (run_id, task, view, variant, metric, value, seed, meta)
       VALUES (@runId, @task, @view, @variant, @metric, @value, @seed, @meta)`,
    );
    this.#ofRun = db.prepare<[number], EvaluationResultRow>(
      `SELECT run_id AS runId, task, view, variant, metric, value, seed FROM evaluation_results
       WHERE run_id = ? ORDER BY task, view, variant, metric, seed, id`,
    );
  }

  insert(result: NewEvaluationResult): number {
    return Number(this.#insert.run(result).lastInsertRowid);
  }

  /** A run's results by task, view, variant, metric and seed; a NaN value (stored as NULL) reads back as NaN. */
  ofRun(runId: number): EvaluationRow[] {
    return this.#ofRun.all(runId).map((row) => ({ ...row, value: row.value ?? Number.NaN }));
  }
}
