// Each migration in the style "migrate to N−1, insert rows, migrate to N, check the rows", plus what each one
// promises: STRICT tables, named indexes, cascades where ownership is real.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../../main/catalog/connection';
import { migrate, schemaVersionOf } from '../../../main/catalog/migrate';
import { migrations } from '../../../main/catalog/migrations';
import type { SqliteDatabase } from '../../../native/sqlite';
import { useTempDir } from './fixtures/catalogFixtures';

const tempDir = useTempDir();
const open: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function databaseAt(version: number): { db: SqliteDatabase; file: string } {
  const file = join(tempDir(), 'catalog.sqlite');
  const db = openSession(file);
  open.push(db);
  migrate(db, file, migrations, version);
  expect(schemaVersionOf(db)).toBe(version);
  return { db, file };
}

function indexNames(db: SqliteDatabase, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_index_list(?) WHERE origin = 'c' ORDER BY name`).all(table) as { name: string }[]).map(
    (row) => row.name,
  );
}

function isStrict(db: SqliteDatabase, table: string): boolean {
  const row = db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as { strict: number } | undefined;
  return row?.strict === 1;
}

function insertCatalogCore(db: SqliteDatabase): void {
  db.exec(`
    INSERT INTO datasets (id, name, root, format) VALUES (1, 'ds', '/data/ds', 'folder');
    INSERT INTO scenes (id, dataset_id, name, split) VALUES (1, 1, 's1', 'train');
    INSERT INTO views (id, scene_id, name, role, sync_offset_frames) VALUES (1, 1, 'ego', 'ego', 4), (2, 1, 'exo', 'exo', 0);
    INSERT INTO tracks (id, view_id, feature_path, feature_fps, frame_count) VALUES (1, 1, 'f/ego.bin', 30, 90);
  `);
}

describe('0010-catalog', () => {
  it('creates STRICT dataset, scene, view and track tables with named indexes from an empty file', () => {
    const { db, file } = databaseAt(0);
    migrate(db, file, migrations, 10);
    for (const table of ['datasets', 'scenes', 'views', 'tracks']) expect(isStrict(db, table)).toBe(true);
    expect(indexNames(db, 'datasets')).toEqual(['datasets_byName']);
    expect(indexNames(db, 'scenes')).toEqual(['scenes_byDataset']);
    expect(indexNames(db, 'views')).toEqual(['views_byScene']);
    expect(indexNames(db, 'tracks')).toEqual(['tracks_byView']);
  });

  it('rejects wrong types, unknown roles and duplicate view names', () => {
    const { db } = databaseAt(10);
    insertCatalogCore(db);
    expect(() => db.exec(`INSERT INTO views (scene_id, name, role, sync_offset_frames) VALUES (1, 'x', 'ego', 'late')`)).toThrow(/cannot store TEXT/);
    expect(() => db.exec(`INSERT INTO views (scene_id, name, role) VALUES (1, 'side', 'top')`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO views (scene_id, name, role) VALUES (1, 'ego', 'ego')`)).toThrow(/UNIQUE/);
  });

  it('deletes scenes, views and tracks with their dataset', () => {
    const { db } = databaseAt(10);
    insertCatalogCore(db);
    db.exec('DELETE FROM datasets WHERE id = 1');
    const counts = db.prepare('SELECT (SELECT count(*) FROM scenes) s, (SELECT count(*) FROM views) v, (SELECT count(*) FROM tracks) t').get();
    expect(counts).toEqual({ s: 0, v: 0, t: 0 });
  });
});

describe('0020-annotations', () => {
  it('keeps catalog rows from version 10 and lets segments and vocabularies attach to them', () => {
    const { db, file } = databaseAt(10);
    insertCatalogCore(db);
    migrate(db, file, migrations, 20);
    expect(db.prepare('SELECT name, root FROM datasets').all()).toEqual([{ name: 'ds', root: '/data/ds' }]);
    expect(db.prepare('SELECT name, sync_offset_frames AS o FROM views ORDER BY id').all()).toEqual([
      { name: 'ego', o: 4 },
      { name: 'exo', o: 0 },
    ]);
    expect(db.prepare('SELECT feature_path AS p, frame_count AS n FROM tracks').get()).toEqual({ p: 'f/ego.bin', n: 90 });

    db.exec(`
      INSERT INTO segments (scene_id, start_frame, end_frame, label) VALUES (1, 0, 10, 'cut');
      INSERT INTO vocabularies (id, dataset_id, name) VALUES (1, 1, 'actions');
      INSERT INTO vocabulary_labels (vocabulary_id, label) VALUES (1, 'cut');
    `);
    expect(db.prepare('SELECT source FROM segments').get()).toEqual({ source: 'imported' });
    expect(indexNames(db, 'segments')).toEqual(['segments_byScene']);
    expect(isStrict(db, 'segments') && isStrict(db, 'vocabularies') && isStrict(db, 'vocabulary_labels')).toBe(true);
  });

  it('rejects an empty or inverted segment and cascades segments and labels with their owners', () => {
    const { db } = databaseAt(20);
    insertCatalogCore(db);
    expect(() => db.exec(`INSERT INTO segments (scene_id, start_frame, end_frame, label) VALUES (1, 5, 5, 'x')`)).toThrow(/CHECK/);
    db.exec(`
      INSERT INTO segments (scene_id, start_frame, end_frame, label) VALUES (1, 0, 10, 'cut');
      INSERT INTO vocabularies (id, dataset_id, name) VALUES (1, 1, 'actions');
      INSERT INTO vocabulary_labels (vocabulary_id, label) VALUES (1, 'cut');
      DELETE FROM datasets;
    `);
    const counts = db.prepare('SELECT (SELECT count(*) FROM segments) g, (SELECT count(*) FROM vocabulary_labels) l').get();
    expect(counts).toEqual({ g: 0, l: 0 });
  });
});

describe('0030-runs', () => {
  it('keeps annotation rows from version 20 and lets runs, metrics, checkpoints and evaluations attach', () => {
    const { db, file } = databaseAt(20);
    insertCatalogCore(db);
    db.exec(`INSERT INTO segments (scene_id, start_frame, end_frame, label, source) VALUES (1, 0, 10, 'cut', 'manual')`);
    migrate(db, file, migrations, 30);
    expect(db.prepare('SELECT label, source FROM segments').all()).toEqual([{ label: 'cut', source: 'manual' }]);
    expect(db.prepare('SELECT count(*) AS n FROM views').get()).toEqual({ n: 2 });

    db.exec(`
      INSERT INTO runs (id, dataset_id, kind, config) VALUES (1, 1, 'pretrain', '{"lr":0.0005}');
      INSERT INTO run_metrics (run_id, step, name, value) VALUES (1, 0, 'loss', 2.5);
      INSERT INTO checkpoints (run_id, step, path) VALUES (1, 0, 'ckpt/0');
      INSERT INTO evaluation_results (run_id, task, metric, value) VALUES (1, 'tas', 'F1@10', 30.3);
      INSERT INTO sampling_configs (dataset_id, name, config) VALUES (1, 'default', '{}');
    `);
    expect(db.prepare('SELECT status, started_at AS s FROM runs').get()).toEqual({ status: 'queued', s: null });
    expect(indexNames(db, 'run_metrics')).toEqual(['run_metrics_byRunNameStep']);
    for (const table of ['runs', 'run_metrics', 'checkpoints', 'evaluation_results', 'sampling_configs']) {
      expect(isStrict(db, table)).toBe(true);
    }
  });

  it('keeps runs when their dataset goes and deletes a run with its metrics, checkpoints and evaluations', () => {
    const { db } = databaseAt(30);
    insertCatalogCore(db);
    db.exec(`
      INSERT INTO runs (id, dataset_id, kind, config) VALUES (1, 1, 'pretrain', '{}');
      INSERT INTO run_metrics (run_id, step, name, value) VALUES (1, 0, 'loss', 1);
      INSERT INTO checkpoints (run_id, step, path) VALUES (1, 0, 'ckpt/0');
      INSERT INTO evaluation_results (run_id, task, metric, value) VALUES (1, 'tas', 'Edit', 1);
      INSERT INTO sampling_configs (dataset_id, name, config) VALUES (1, 'default', '{}');
      DELETE FROM datasets;
    `);
    expect(db.prepare('SELECT dataset_id AS d FROM runs').get()).toEqual({ d: null });
    expect(db.prepare('SELECT count(*) AS n FROM sampling_configs').get()).toEqual({ n: 0 });
    expect(() => db.exec(`UPDATE runs SET status = 'exploded'`)).toThrow(/CHECK/);
    expect(() => db.exec(`UPDATE runs SET config = 'not json'`)).toThrow(/CHECK/);
    db.exec('DELETE FROM runs');
    const counts = db.prepare(
      'SELECT (SELECT count(*) FROM run_metrics) m, (SELECT count(*) FROM checkpoints) c, (SELECT count(*) FROM evaluation_results) e',
    ).get();
    expect(counts).toEqual({ m: 0, c: 0, e: 0 });
  });
});

describe('0040-feature-windows', () => {
  it('keeps tracks from version 30 as per-frame tracks and records a windowed track\'s stride and window', () => {
    const { db, file } = databaseAt(30);
    insertCatalogCore(db);
    migrate(db, file, migrations, 40);
    expect(db.prepare('SELECT frame_count AS n, feature_stride_frames AS s, feature_window_frames AS w FROM tracks').get()).toEqual({ n: 90, s: null, w: null });
    db.exec(`INSERT INTO tracks (view_id, feature_path, feature_fps, feature_stride_frames, feature_window_frames, frame_count)
      VALUES (2, 'f/exo.pt', 30, 16, 32, 3216)`);
    expect(db.prepare('SELECT feature_stride_frames AS s, feature_window_frames AS w FROM tracks WHERE view_id = 2').get()).toEqual({ s: 16, w: 32 });
  });

  it('rejects a stride or window that is not positive, or one without the other', () => {
    const { db } = databaseAt(40);
    insertCatalogCore(db);
    expect(() => db.exec('UPDATE tracks SET feature_stride_frames = 0, feature_window_frames = 32')).toThrow(/CHECK/);
    expect(() => db.exec('UPDATE tracks SET feature_stride_frames = 16')).toThrow(/CHECK/);
    expect(() => db.exec('UPDATE tracks SET feature_window_frames = 32')).toThrow(/CHECK/);
    expect(() => db.exec("UPDATE tracks SET feature_window_frames = 'wide', feature_stride_frames = 16")).toThrow(/cannot store TEXT/);
  });
});

describe('0050-result-seeds', () => {
  it('keeps evaluation results from version 40, giving them their run’s seed, and records a seed per result', () => {
    const { db, file } = databaseAt(40);
    insertCatalogCore(db);
    db.exec(`
      INSERT INTO runs (id, dataset_id, kind, config, seed) VALUES (1, 1, 'pipeline', '{}', 7), (2, 1, 'evaluate', '{}', NULL);
      INSERT INTO evaluation_results (run_id, task, metric, value) VALUES (1, 'retrieval', 'R@1', 0.5), (2, 'tas', 'Edit', 30);
    `);
    migrate(db, file, migrations, 50);
    expect(db.prepare('SELECT run_id AS r, task, value, seed FROM evaluation_results ORDER BY id').all()).toEqual([
      { r: 1, task: 'retrieval', value: 0.5, seed: 7 },
      { r: 2, task: 'tas', value: 30, seed: null },
    ]);
    db.exec(`INSERT INTO evaluation_results (run_id, task, metric, value, seed) VALUES (1, 'retrieval', 'R@1', 0.6, 8)`);
    expect(db.prepare('SELECT seed FROM evaluation_results WHERE value = 0.6').get()).toEqual({ seed: 8 });
    expect(() => db.exec(`INSERT INTO evaluation_results (run_id, task, metric, value, seed) VALUES (1, 'retrieval', 'R@1', 0.6, 'eight')`)).toThrow(/cannot store TEXT/);
  });
});

describe('0060-run-provenance', () => {
  it('keeps runs from version 50 unnamed, untagged and without a parent, and records names, tags and parents', () => {
    const { db, file } = databaseAt(50);
    insertCatalogCore(db);
    db.exec(`INSERT INTO runs (id, dataset_id, kind, config, seed) VALUES (1, 1, 'pipeline', '{}', 7), (2, 1, 'pretrain-step1', '{}', 7)`);
    migrate(db, file, migrations, 60);
    expect(db.prepare('SELECT id, name, parent_run_id AS parent FROM runs ORDER BY id').all()).toEqual([
      { id: 1, name: null, parent: null },
      { id: 2, name: null, parent: null },
    ]);
    expect(isStrict(db, 'run_tags')).toBe(true);
    expect(indexNames(db, 'run_tags')).toEqual(['run_tags_byTag']);
    expect(indexNames(db, 'runs')).toEqual(['runs_byDataset', 'runs_byParent']);
    db.exec(`UPDATE runs SET name = 'baseline', parent_run_id = 1 WHERE id = 2; INSERT INTO run_tags (run_id, tag) VALUES (2, 'ablation'), (2, 'iccv')`);
    expect(db.prepare('SELECT name, parent_run_id AS parent FROM runs WHERE id = 2').get()).toEqual({ name: 'baseline', parent: 1 });
  });

  it('refuses an empty name or tag, a repeated tag and a parent that is not a run; cascades tags, un-parents children', () => {
    const { db, file } = databaseAt(50);
    insertCatalogCore(db);
    db.exec(`INSERT INTO runs (id, dataset_id, kind, config) VALUES (1, 1, 'pipeline', '{}'), (2, 1, 'pretrain-step1', '{}')`);
    migrate(db, file, migrations, 60);
    expect(() => db.exec(`UPDATE runs SET name = '' WHERE id = 1`)).toThrow(/CHECK constraint/);
    expect(() => db.exec(`INSERT INTO run_tags (run_id, tag) VALUES (1, '')`)).toThrow(/CHECK constraint/);
    db.exec(`INSERT INTO run_tags (run_id, tag) VALUES (1, 'x')`);
    expect(() => db.exec(`INSERT INTO run_tags (run_id, tag) VALUES (1, 'x')`)).toThrow(/UNIQUE constraint/);
    expect(() => db.exec(`UPDATE runs SET parent_run_id = 99 WHERE id = 2`)).toThrow(/FOREIGN KEY/);
    db.exec(`UPDATE runs SET parent_run_id = 1 WHERE id = 2; INSERT INTO run_tags (run_id, tag) VALUES (2, 'y')`);
    db.exec('DELETE FROM runs WHERE id = 1');
    expect(db.prepare('SELECT run_id AS r, tag FROM run_tags').all()).toEqual([{ r: 2, tag: 'y' }]);
    expect(db.prepare('SELECT parent_run_id AS parent FROM runs WHERE id = 2').get()).toEqual({ parent: null });
  });
});
