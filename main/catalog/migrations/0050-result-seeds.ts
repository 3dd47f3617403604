// Migration 50: the seed of each evaluation result. A pipeline repeated over seeds (`evgap pipeline --seeds N`)
// stores every seed's numbers; the report shows their mean ± std. Results written before this migration came
// from a run's one seed, so they take the run's seed (NULL where the run has none).
import type { SqliteDatabase } from '../../../native/sqlite';

export function up(db: SqliteDatabase): void {
  db.exec(`
    ALTER TABLE evaluation_results ADD COLUMN seed INTEGER;
    UPDATE evaluation_results SET seed = (SELECT runs.seed FROM runs WHERE runs.id = evaluation_results.run_id);
  `);
}
