// Queries on the vocabularies and vocabulary_labels tables. Labels keep insertion order (their class order);
// adding a label that is already there keeps the first one.
import type { SqliteDatabase } from '../../native/sqlite';

export interface VocabularyLabel {
  label: string;
  verb: string | null;
  object: string | null;
}

export class VocabularyQueries {
  readonly #ensure;
  readonly #addLabel;
  readonly #labels;

  constructor(db: SqliteDatabase) {
    this.#ensure = db.prepare<[number, string], { id: number }>(
      `INSERT INTO vocabularies (dataset_id, name) VALUES (?, ?)
       ON CONFLICT (dataset_id, name) DO UPDATE SET name = excluded.name
       RETURNING id`,
    );
    this.#addLabel = db.prepare<[{ vocabularyId: number } & VocabularyLabel]>(
      `INSERT INTO vocabulary_labels (vocabulary_id, label, verb, object)
       VALUES (@vocabularyId, @label, @verb, @object)
       ON CONFLICT (vocabulary_id, label) DO NOTHING`,
    );
    this.#labels = db.prepare<[number, string], VocabularyLabel>(
      `SELECT l.label, l.verb, l.object
       FROM vocabularies v JOIN vocabulary_labels l ON l.vocabulary_id = v.id
       WHERE v.dataset_id = ? AND v.name = ?
       ORDER BY l.id`,
    );
  }

  /** The id of the dataset's vocabulary `name`, created if missing. */
  ensure(datasetId: number, name: string): number {
    return this.#ensure.get(datasetId, name)!.id;
  }

  addLabel(vocabularyId: number, label: VocabularyLabel): void {
    this.#addLabel.run({ vocabularyId, ...label });
  }

  labels(datasetId: number, name: string): VocabularyLabel[] {
    return this.#labels.all(datasetId, name);
  }
}
