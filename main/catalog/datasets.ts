// Queries on the datasets table: summaries with their counts (one statement, correlated counts over indexes),
// insert, delete (scenes, views, tracks, segments, vocabularies cascade; runs keep their rows) and re-pointing.
import type { DatasetSummary } from '../../contract/api';
import type { SqliteDatabase } from '../../native/sqlite';

const SUMMARY = `
  SELECT d.id, d.name, d.root, d.format, d.created_at AS createdAt,
    (SELECT count(*) FROM scenes s WHERE s.dataset_id = d.id) AS sceneCount,
    (SELECT count(*) FROM scenes s JOIN views v ON v.scene_id = s.id WHERE s.dataset_id = d.id) AS viewCount,
    (SELECT count(*) FROM scenes s JOIN views v ON v.scene_id = s.id JOIN tracks t ON t.view_id = v.id
      WHERE s.dataset_id = d.id) AS trackCount,
    (SELECT count(*) FROM scenes s JOIN segments g ON g.scene_id = s.id WHERE s.dataset_id = d.id) AS segmentCount,
    (SELECT count(*) FROM runs r WHERE r.dataset_id = d.id) AS runCount
  FROM datasets d`;

export class DatasetQueries {
  readonly #all;
  readonly #byId;
  readonly #byName;
  readonly #root;
  readonly #idByName;
  readonly #insert;
  readonly #delete;
  readonly #repoint;

  constructor(db: SqliteDatabase) {
    this.#all = db.prepare<[], DatasetSummary>(`${SUMMARY} ORDER BY d.name`);
    this.#byId = db.prepare<[number], DatasetSummary>(`${SUMMARY} WHERE d.id = ?`);
    this.#byName = db.prepare<[string], DatasetSummary>(`${SUMMARY} WHERE d.name = ?`);
    this.#root = db.prepare<[number], { root: string }>('SELECT root FROM datasets WHERE id = ?');
    this.#idByName = db.prepare<[string], { id: number }>('SELECT id FROM datasets WHERE name = ?');
    this.#insert = db.prepare<[{ name: string; root: string; format: string; meta: string }]>(
      'INSERT INTO datasets (name, root, format, meta) VALUES (@name, @root, @format, @meta)',
    );
    this.#delete = db.prepare<[number]>('DELETE FROM datasets WHERE id = ?');
    this.#repoint = db.prepare<[string, number]>('UPDATE datasets SET root = ? WHERE id = ?');
  }

  all(): DatasetSummary[] {
    return this.#all.all();
  }

  byId(datasetId: number): DatasetSummary | undefined {
    return this.#byId.get(datasetId);
  }

  byName(name: string): DatasetSummary | undefined {
    return this.#byName.get(name);
  }

  root(datasetId: number): string | undefined {
    return this.#root.get(datasetId)?.root;
  }

  idByName(name: string): number | undefined {
    return this.#idByName.get(name)?.id;
  }

  insert(dataset: { name: string; root: string; format: string; meta: string }): number {
    return Number(this.#insert.run(dataset).lastInsertRowid);
  }

  /** Returns whether a row was deleted. */
  delete(datasetId: number): boolean {
    return this.#delete.run(datasetId).changes > 0;
  }

  /** Returns whether a row was changed. */
  repoint(datasetId: number, root: string): boolean {
    return this.#repoint.run(root, datasetId).changes > 0;
  }
}
