// Queries on the scenes table. Summaries aggregate views, tracks, segments and runs per scene with GROUP BY over the
// dataset's rows (one statement for a whole library page, however many scenes), never one query per scene.
import type { SceneSummary } from '../../contract/api';
import type { SqliteDatabase } from '../../native/sqlite';

/**
 * The scenes a run of each kind reads, by split (a scene without a split counts as 'train', as the sampler takes
 * it): a pre-training step samples the training split (engine/training/prepareTraining); the pipeline pre-trains on
 * it and fits its heads on it, then evaluates on the test split (pipeline/evaluationData). A scene's "runs" are the
 * runs of its dataset whose kind reads its split. Kinds are spelled here because the catalog does not import the
 * engine or the pipeline.
 */
export const splitsReadByRunKind: Readonly<Record<string, readonly ('train' | 'val' | 'test')[]>> = {
  'pretrain-step1': ['train'],
  'pretrain-step2': ['train'],
  pipeline: ['train', 'test'],
};

const runReadsScene = Object.entries(splitsReadByRunKind)
  .map(([kind, splits]) => `(r.kind = '${kind}' AND coalesce(s.split, 'train') IN (${splits.map((split) => `'${split}'`).join(', ')}))`)
  .join(' OR ');

// A view's duration is its video's when known, else its feature track's (frames / fps); a scene's is its longest view's.
function summarySql(sceneFilter: string): string {
  return `
    WITH chosen AS (SELECT s.id FROM scenes s WHERE ${sceneFilter}),
    view_stats AS (
      SELECT v.scene_id,
        sum(v.role = 'ego') AS egoCount,
        sum(v.role = 'exo') AS exoCount,
        max(coalesce(t.video_duration_s, t.frame_count / t.feature_fps)) AS durationS
      FROM chosen c JOIN views v ON v.scene_id = c.id LEFT JOIN tracks t ON t.view_id = v.id
      GROUP BY v.scene_id),
    segment_stats AS (
      SELECT g.scene_id, count(*) AS segmentCount
      FROM chosen c JOIN segments g ON g.scene_id = c.id
      GROUP BY g.scene_id),
    run_stats AS (
      SELECT s.id AS scene_id, count(*) AS runCount
      FROM chosen c JOIN scenes s ON s.id = c.id JOIN runs r ON r.dataset_id = s.dataset_id
      WHERE ${runReadsScene}
      GROUP BY s.id)
    SELECT s.id, s.dataset_id AS datasetId, s.name, s.split,
      coalesce(vs.egoCount, 0) AS egoCount,
      coalesce(vs.exoCount, 0) AS exoCount,
      coalesce(vs.durationS, 0.0) AS durationS,
      coalesce(gs.segmentCount, 0) AS segmentCount,
      coalesce(rs.runCount, 0) AS runCount
    FROM chosen c JOIN scenes s ON s.id = c.id
      LEFT JOIN view_stats vs ON vs.scene_id = s.id
      LEFT JOIN segment_stats gs ON gs.scene_id = s.id
      LEFT JOIN run_stats rs ON rs.scene_id = s.id
    ORDER BY s.name`;
}

export class SceneQueries {
  readonly #ofDataset;
  readonly #byId;
  readonly #datasetName;
  readonly #insert;

  constructor(db: SqliteDatabase) {
    this.#ofDataset = db.prepare<[number], SceneSummary>(summarySql('s.dataset_id = ?'));
    this.#byId = db.prepare<[number], SceneSummary>(summarySql('s.id = ?'));
    this.#datasetName = db.prepare<[number], { name: string }>(
      'SELECT d.name FROM scenes s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = ?',
    );
    this.#insert = db.prepare<[{ datasetId: number; name: string; split: string | null; meta: string }]>(
      'INSERT INTO scenes (dataset_id, name, split, meta) VALUES (@datasetId, @name, @split, @meta)',
    );
  }

  /** Scenes of a dataset ordered by name; `search` keeps names containing it, ignoring case. */
  ofDataset(datasetId: number, search?: string): SceneSummary[] {
    const scenes = this.#ofDataset.all(datasetId);
    if (!search) return scenes;
    // Filtered here rather than in SQL: SQLite's lower() folds ASCII only.
    const needle = search.toLowerCase();
    return scenes.filter((scene) => scene.name.toLowerCase().includes(needle));
  }

  byId(sceneId: number): SceneSummary | undefined {
    return this.#byId.get(sceneId);
  }

  datasetName(sceneId: number): string | undefined {
    return this.#datasetName.get(sceneId)?.name;
  }

  insert(scene: { datasetId: number; name: string; split: string | null; meta: string }): number {
    return Number(this.#insert.run(scene).lastInsertRowid);
  }
}
