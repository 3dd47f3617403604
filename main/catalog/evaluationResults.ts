// Queries on the evaluation_results table: one metric value of one evaluation task (retrieval, TAS,
// anticipation, novel view) for a run, optionally per view and per compared variant (Base, +EVGAP, ...).
import type { SqliteDatabase } from '../../native/sqlite';

export interface NewEvaluationResult {
  runId: number;
  task: string;
  view: string | null;
  variant: string | null;
  metric: string;
  value: number | null;
  meta: string;
}

export class EvaluationResultQueries {
  readonly #insert;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[NewEvaluationResult]>(
      `INSERT INTO evaluation_results (run_id, task, view, variant, metric, value, meta)
       VALUES (@runId, @task, @view, @variant, @metric, @value, @meta)`,
    );
  }

  insert(result: NewEvaluationResult): number {
    return Number(this.#insert.run(result).lastInsertRowid);
  }
}
