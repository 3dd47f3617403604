// Read-only queries the exports need that the Catalog class does not offer (a scene's meta, a run's evaluation
// results). They run on their own read-only connection to the catalog file: the catalog is built for several
// connections at once (WAL), and a read-only one cannot change it.
import { openSqlite, type SqliteDatabase } from '../../native/sqlite';

export interface EvaluationResultRow {
  id: number;
  runId: number;
  task: string;
  view: string | null;
  variant: string | null;
  metric: string;
  /** null when the stored value was NaN. */
  value: number | null;
  /** The seed that produced the value (a pipeline repeated over seeds has a row per seed). */
  seed: number | null;
  meta: unknown;
}

export class CatalogReader {
  readonly #db: SqliteDatabase;
  readonly #sceneMeta;
  readonly #evaluationResults;

  constructor(catalogFile: string) {
    this.#db = openSqlite(catalogFile, { readonly: true, fileMustExist: true });
    this.#sceneMeta = this.#db.prepare<[number], { meta: string }>('SELECT meta FROM scenes WHERE id = ?');
    this.#evaluationResults = this.#db.prepare<[number], Omit<EvaluationResultRow, 'meta'> & { meta: string }>(
      `SELECT id, run_id AS runId, task, view, variant, metric, value, seed, meta FROM evaluation_results
       WHERE run_id = ? ORDER BY task, view, variant, metric, seed, id`,
    );
  }

  sceneMeta(sceneId: number): Record<string, unknown> {
    const row = this.#sceneMeta.get(sceneId);
    return row ? (JSON.parse(row.meta) as Record<string, unknown>) : {};
  }

  evaluationResults(runId: number): EvaluationResultRow[] {
    return this.#evaluationResults.all(runId).map((row) => ({ ...row, meta: JSON.parse(row.meta) as unknown }));
  }

  close(): void {
    this.#db.close();
  }
}

export function withCatalogReader<T>(catalogFile: string, use: (reader: CatalogReader) => T): T {
  const reader = new CatalogReader(catalogFile);
  try {
    return use(reader);
  } finally {
    reader.close();
  }
}
