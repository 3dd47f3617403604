// Queries on the sampling_configs table: named clip-sampling settings per dataset; saving a name again replaces
// its config and keeps its id; a dataset's configs by name.
import type { SqliteDatabase } from '../../native/sqlite';

/** A saved config; `config` as stored (JSON text here, parsed by the catalog). */
export interface SamplingConfigRow {
  id: number;
  datasetId: number;
  name: string;
  config: unknown;
  createdAt: string;
}

export class SamplingConfigQueries {
  readonly #save;
  readonly #ofDataset;

  constructor(db: SqliteDatabase) {
    this.#save = db.prepare<[{ datasetId: number; name: string; config: string }], { id: number }>(
      `INSERT INTO sampling_configs (dataset_id, name, config) VALUES (@datasetId, @name, @config)
       ON CONFLICT (dataset_id, name) DO UPDATE SET config = excluded.config
       RETURNING id`,
    );
    this.#ofDataset = db.prepare<[number], SamplingConfigRow & { config: string }>(
      `SELECT id, dataset_id AS datasetId, name, config, created_at AS createdAt FROM sampling_configs
       WHERE dataset_id = ? ORDER BY name`,
    );
  }

  ofDataset(datasetId: number): (SamplingConfigRow & { config: string })[] {
    return this.#ofDataset.all(datasetId);
  }

  save(datasetId: number, name: string, config: string): number {
    return this.#save.get({ datasetId, name, config })!.id;
  }
}
