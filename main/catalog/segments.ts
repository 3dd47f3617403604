// Queries on the segments table: a scene's action segments in timeline order, inserting segments, and clearing a
// scene's segments (the annotation editor replaces the whole list).
import type { SegmentInfo } from '../../contract/api';
import type { SqliteDatabase } from '../../native/sqlite';

export interface NewSegment {
  sceneId: number;
  startFrame: number;
  endFrame: number;
  label: string;
  verb: string | null;
  object: string | null;
  source: SegmentInfo['source'];
}

export class SegmentQueries {
  readonly #ofScene;
  readonly #insert;
  readonly #deleteOfScene;

  constructor(db: SqliteDatabase) {
    this.#ofScene = db.prepare<[number], SegmentInfo>(
      `SELECT id, start_frame AS startFrame, end_frame AS endFrame, label, verb, object, source
       FROM segments WHERE scene_id = ? ORDER BY start_frame, end_frame, id`,
    );
    this.#insert = db.prepare<[NewSegment]>(
      `INSERT INTO segments (scene_id, start_frame, end_frame, label, verb, object, source)
       VALUES (@sceneId, @startFrame, @endFrame, @label, @verb, @object, @source)`,
    );
    this.#deleteOfScene = db.prepare<[number]>('DELETE FROM segments WHERE scene_id = ?');
  }

  ofScene(sceneId: number): SegmentInfo[] {
    return this.#ofScene.all(sceneId);
  }

  insert(segment: NewSegment): number {
    return Number(this.#insert.run(segment).lastInsertRowid);
  }

  deleteOfScene(sceneId: number): void {
    this.#deleteOfScene.run(sceneId);
  }
}
