// Queries on the sampling_configs table: named clip-sampling settings per dataset; saving a name again replaces
// its config and keeps its id.
import type { SqliteDatabase } from '../../native/sqlite';

export class SamplingConfigQueries {
  readonly #save;

  constructor(db: SqliteDatabase) {
    this.#save = db.prepare<[{ datasetId: number; name: string; config: string }], { id: number }>(
      `INSERT INTO sampling_configs (dataset_id, name, config) VALUES (@datasetId, @name, @config)
       ON CONFLICT (dataset_id, name) DO UPDATE SET config = excluded.config
       RETURNING id`,
    );
  }

  save(datasetId: number, name: string, config: string): number {
    return this.#save.get({ datasetId, name, config })!.id;
  }
}
