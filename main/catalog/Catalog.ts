// The catalog: one SQLite file holding datasets (scenes, views, tracks, segments, vocabularies) and experiments
// (runs, metrics, checkpoints, evaluation results). Several processes (UI, training worker) open it at once;
// every write is a short BEGIN IMMEDIATE transaction, every multi-row read one snapshot.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type {
  DatasetDetail,
  DatasetSummary,
  EvaluationRow,
  RunStatus,
  RunSummary,
  SceneDetail,
  SceneSummary,
  SegmentInfo,
  ViewInfo,
} from '../../contract/api';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import type { SqliteDatabase } from '../../native/sqlite';
import { editTags, runLabelLimits, runNameProblem, tagProblem } from '../../contract/runLabels';
import { fail, integer, name, number, oneOf, optionalInteger, optionalText } from './checks';
import { CheckpointQueries } from './checkpoints';
import { applyPragmas, FILE_PRAGMAS, openSession } from './connection';
import { DatasetQueries } from './datasets';
import { EvaluationResultQueries } from './evaluationResults';
import type { DatasetImportSpec } from './importSpec';
import { ACTIONS_VOCABULARY, writeDataset } from './importDataset';
import { fromJson, toJson } from './json';
import { assertKnownVersion, migrate } from './migrate';
import { migrations } from './migrations';
import { RunMetricQueries, type MetricRow } from './runMetrics';
import { RUN_STATUSES, RunQueries } from './runs';
import { SamplingConfigQueries, type SamplingConfigRow } from './samplingConfigs';
import { SceneQueries } from './scenes';
import { SegmentQueries, type NewSegment } from './segments';
import { writeTransaction } from './transaction';
import { absoluteRoot, validateImportSpec } from './validateImportSpec';
import { ViewQueries } from './views';
import { VocabularyQueries, type VocabularyLabel } from './vocabularies';

export { CatalogVersionError } from './migrate';

export class Catalog {
  readonly file: string;
  readonly schemaVersion: number;
  readonly #db: SqliteDatabase;
  readonly #datasets: DatasetQueries;
  readonly #scenes: SceneQueries;
  readonly #views: ViewQueries;
  readonly #segments: SegmentQueries;
  readonly #vocabularies: VocabularyQueries;
  readonly #samplingConfigs: SamplingConfigQueries;
  readonly #runs: RunQueries;
  readonly #runMetrics: RunMetricQueries;
  readonly #checkpoints: CheckpointQueries;
  readonly #evaluationResults: EvaluationResultQueries;

  private constructor(file: string, db: SqliteDatabase, schemaVersion: number) {
    this.file = file;
    this.schemaVersion = schemaVersion;
    this.#db = db;
    this.#datasets = new DatasetQueries(db);
    this.#scenes = new SceneQueries(db);
    this.#views = new ViewQueries(db);
    this.#segments = new SegmentQueries(db);
    this.#vocabularies = new VocabularyQueries(db);
    this.#samplingConfigs = new SamplingConfigQueries(db);
    this.#runs = new RunQueries(db);
    this.#runMetrics = new RunMetricQueries(db);
    this.#checkpoints = new CheckpointQueries(db);
    this.#evaluationResults = new EvaluationResultQueries(db);
  }

  /**
   * Opens (creating folders and file as needed) and migrates the catalog. A file from a newer app is refused with
   * CatalogVersionError before anything is written to it (the WAL switch included).
   */
  static open(file: string): Catalog {
    const path = resolve(file);
    mkdirSync(dirname(path), { recursive: true });
    const db = openSession(path);
    try {
      assertKnownVersion(db, path, migrations);
      applyPragmas(db, FILE_PRAGMAS);
      return new Catalog(path, db, migrate(db, path, migrations));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    this.#db.close();
  }

  // Datasets

  listDatasets(): DatasetSummary[] {
    return this.#datasets.all();
  }

  findDatasetByName(datasetName: string): DatasetSummary | undefined {
    return this.#datasets.byName(datasetName);
  }

  getDataset(datasetId: number): DatasetDetail {
    return this.#read(() => ({
      dataset: this.#requireDataset(datasetId),
      scenes: this.#scenes.ofDataset(datasetId),
      runs: this.#runs.list({ datasetId }),
    }));
  }

  /** Validates the whole spec first, then writes it in one transaction; returns the new dataset's id. */
  importDataset(spec: DatasetImportSpec): number {
    const valid = validateImportSpec(spec);
    return this.#write(() =>
      writeDataset(
        {
          datasets: this.#datasets,
          scenes: this.#scenes,
          views: this.#views,
          segments: this.#segments,
          vocabularies: this.#vocabularies,
        },
        valid,
      ),
    );
  }

  /** Removes the dataset and everything it owns; its runs stay, with no dataset. */
  deleteDataset(datasetId: number): void {
    this.#write(() => {
      if (!this.#datasets.delete(datasetId)) throw notFound('dataset', datasetId);
    });
  }

  /** The dataset's files moved: track paths are relative, so only the root changes. */
  repointDataset(datasetId: number, newRoot: string): void {
    const root = absoluteRoot(newRoot, 'newRoot');
    this.#write(() => {
      if (!this.#datasets.repoint(datasetId, root)) throw notFound('dataset', datasetId);
    });
  }

  listVocabulary(datasetId: number, vocabularyName: string = ACTIONS_VOCABULARY): VocabularyLabel[] {
    return this.#read(() => {
      this.#requireDataset(datasetId);
      return this.#vocabularies.labels(datasetId, vocabularyName);
    });
  }

  /** Adds a label to a dataset's vocabulary (created if missing); a label already there is kept as it is. */
  addVocabularyLabel(datasetId: number, label: VocabularyLabel, vocabularyName: string = ACTIONS_VOCABULARY): VocabularyLabel[] {
    const row = {
      label: name(label.label, 'label'),
      verb: optionalText(label.verb, 'verb'),
      object: optionalText(label.object, 'object'),
    };
    const vocabulary = name(vocabularyName, 'vocabularyName');
    return this.#write(() => {
      this.#requireDataset(datasetId);
      this.#vocabularies.addLabel(this.#vocabularies.ensure(datasetId, vocabulary), row);
      return this.#vocabularies.labels(datasetId, vocabulary);
    });
  }

  /** Saves (or replaces) a named sampling config of a dataset; returns its id. */
  saveSamplingConfig(datasetId: number, configName: string, config: unknown): number {
    const checkedName = name(configName, 'name');
    const json = toJson(config, 'config');
    return this.#write(() => {
      this.#requireDataset(datasetId);
      return this.#samplingConfigs.save(datasetId, checkedName, json);
    });
  }

  /** The dataset's saved sampling configs, by name; their config as stored (main/engine/sampling/savedSampling.ts reads it). */
  listSamplingConfigs(datasetId: number): SamplingConfigRow[] {
    return this.#read(() => {
      this.#requireDataset(datasetId);
      return this.#samplingConfigs.ofDataset(datasetId).map((row) => ({ ...row, config: fromJson(row.config) }));
    });
  }

  // Scenes, views, tracks

  listScenes(datasetId: number, search?: string): SceneSummary[] {
    return this.#scenes.ofDataset(datasetId, search);
  }

  getScene(sceneId: number): SceneDetail {
    return this.#read(() => {
      const scene = this.#scenes.byId(sceneId);
      if (!scene) throw notFound('scene', sceneId);
      return {
        scene,
        datasetName: this.#scenes.datasetName(sceneId)!,
        views: this.#views.ofScene(sceneId),
        segments: this.#segments.ofScene(sceneId),
      };
    });
  }

  getView(viewId: number): ViewInfo {
    const view = this.#views.byId(viewId);
    if (!view) throw notFound('view', viewId);
    return view;
  }

  /**
   * Replaces a scene's segments with `segments` in one transaction and adds their labels to the dataset's 'actions'
   * vocabulary (labels already there keep their verb and object). Returns the scene's new segment list.
   */
  replaceSegments(sceneId: number, segments: readonly Omit<NewSegment, 'sceneId'>[]): SegmentInfo[] {
    const rows: NewSegment[] = segments.map((segment, i) => {
      const startFrame = integer(segment.startFrame, `segments[${i}].startFrame`, 0);
      const endFrame = integer(segment.endFrame, `segments[${i}].endFrame`, startFrame + 1);
      return {
        sceneId,
        startFrame,
        endFrame,
        label: name(segment.label, `segments[${i}].label`),
        verb: optionalText(segment.verb, `segments[${i}].verb`),
        object: optionalText(segment.object, `segments[${i}].object`),
        source: oneOf(segment.source, ['imported', 'manual'] as const, `segments[${i}].source`),
      };
    });
    return this.#write(() => {
      const scene = this.#scenes.byId(sceneId);
      if (!scene) throw notFound('scene', sceneId);
      this.#segments.deleteOfScene(sceneId);
      const actions = rows.length > 0 ? this.#vocabularies.ensure(scene.datasetId, ACTIONS_VOCABULARY) : undefined;
      for (const row of rows) {
        this.#segments.insert(row);
        this.#vocabularies.addLabel(actions!, { label: row.label, verb: row.verb, object: row.object });
      }
      return this.#segments.ofScene(sceneId);
    });
  }

  setSyncOffset(viewId: number, offsetFrames: number): ViewInfo {
    const offset = integer(offsetFrames, 'offsetFrames');
    return this.#write(() => {
      if (!this.#views.setSyncOffset(viewId, offset)) throw notFound('view', viewId);
      return this.#views.byId(viewId)!;
    });
  }

  /** Absolute path of a track's video or feature file (dataset root + the stored relative path). */
  trackFile(trackId: number, kind: 'video' | 'feature'): string {
    oneOf(kind, ['video', 'feature'] as const, 'kind');
    const files = this.#views.trackFiles(trackId);
    if (!files) throw notFound('track', trackId);
    const relative = kind === 'video' ? files.videoPath : files.featurePath;
    if (relative === null) throw new NotFoundError(`track ${trackId} has no ${kind} file`);
    return join(files.root, ...relative.split('/'));
  }

  // Runs

  createRun(run: {
    datasetId: number | null;
    kind: string;
    config: unknown;
    seed: number | null;
    backend: string | null;
    backendReport?: unknown;
    /** The pipeline run that starts this one. */
    parentRunId?: number | null;
  }): number {
    const row = {
      datasetId: optionalInteger(run.datasetId, 'datasetId', 1),
      kind: name(run.kind, 'kind'),
      config: toJson(run.config, 'config'),
      seed: optionalInteger(run.seed, 'seed'),
      backend: optionalText(run.backend, 'backend'),
      backendReport: run.backendReport === undefined ? null : toJson(run.backendReport, 'backendReport'),
      parentRunId: optionalInteger(run.parentRunId, 'parentRunId', 1),
    };
    return this.#write(() => {
      if (row.datasetId !== null) this.#requireDataset(row.datasetId);
      if (row.parentRunId !== null) this.#requireRun(row.parentRunId);
      return this.#runs.insert(row);
    });
  }

  /**
   * Names a run (null or an empty name clears it; the name is trimmed) and adds and removes tags, in one
   * transaction; limits as contract/runLabels.ts says. Returns the run's summary.
   */
  updateRunLabels(runId: number, change: { name?: string | null; addTags?: readonly string[]; removeTags?: readonly string[] }): RunSummary {
    const runName = change.name === undefined ? undefined : checkedRunName(change.name);
    const add = (change.addTags ?? []).map((tag, i) => checkedTag(tag, `addTags[${i}]`));
    const remove = change.removeTags ?? [];
    return this.#write(() => {
      const run = this.#runs.byId(runId);
      if (!run) throw notFound('run', runId);
      const tags = editTags(run.tags, add, remove);
      if (tags.length > runLabelLimits.tagsPerRun) {
        throw new ArgumentError(`addTags: expected at most ${runLabelLimits.tagsPerRun} tags on a run, run ${runId} would have ${tags.length}`);
      }
      if (runName !== undefined) this.#runs.setName(runId, runName);
      for (const tag of remove) this.#runs.removeTag(runId, tag);
      for (const tag of add) if (tags.includes(tag)) this.#runs.addTag(runId, tag);
      const { config: _config, backendReport: _report, ...summary } = this.#runs.byId(runId)!;
      return summary;
    });
  }

  /**
   * A run trained elsewhere (an exported PyTorch job), with its metrics and checkpoints, in one transaction.
   * `placeFiles` is called inside it with the new run's id, puts the checkpoint files where they belong and returns
   * them; if it (or anything else) fails, the catalog is left as it was.
   */
  importRun(
    run: {
      datasetId: number | null;
      kind: string;
      config: unknown;
      seed: number | null;
      backend: string;
      backendReport: unknown;
      status: RunStatus;
      error?: string;
      startedAt: string | null;
      finishedAt: string | null;
    },
    metrics: readonly { step: number; name: string; value: number }[],
    placeFiles: (runId: number) => { step: number; path: string; meta: unknown }[],
  ): number {
    const row = {
      datasetId: optionalInteger(run.datasetId, 'datasetId', 1),
      kind: name(run.kind, 'kind'),
      config: toJson(run.config, 'config'),
      seed: optionalInteger(run.seed, 'seed'),
      parentRunId: null,
      backend: name(run.backend, 'backend'),
      backendReport: toJson(run.backendReport, 'backendReport'),
      status: oneOf(run.status, RUN_STATUSES, 'status'),
      error: optionalText(run.error, 'error'),
      startedAt: optionalText(run.startedAt, 'startedAt'),
      finishedAt: optionalText(run.finishedAt, 'finishedAt'),
    };
    const rows = checkedMetricRows(metrics);
    return this.#write(() => {
      if (row.datasetId !== null) this.#requireDataset(row.datasetId);
      const runId = this.#runs.insertFinished(row);
      for (const metric of rows) this.#runMetrics.add(runId, metric);
      for (const [i, checkpoint] of placeFiles(runId).entries()) {
        this.#checkpoints.insert({
          runId,
          step: integer(checkpoint.step, `checkpoints[${i}].step`, 0),
          path: name(checkpoint.path, `checkpoints[${i}].path`),
          meta: toJson(checkpoint.meta, `checkpoints[${i}].meta`),
        });
      }
      return runId;
    });
  }

  /** Sets started_at at the first 'running' and finished_at at completed/failed/cancelled; `error` is replaced. */
  setRunStatus(runId: number, status: RunStatus, extra: { error?: string } = {}): void {
    oneOf(status, RUN_STATUSES, 'status');
    const error = optionalText(extra.error, 'error');
    this.#write(() => {
      if (!this.#runs.setStatus(runId, status, error)) throw notFound('run', runId);
    });
  }

  addRunMetrics(runId: number, rows: { step: number; name: string; value: number }[]): void {
    const checked = checkedMetricRows(rows);
    this.#write(() => {
      this.#requireRun(runId);
      for (const row of checked) this.#runMetrics.add(runId, row);
    });
  }

  /** Ordered by name, then step; NaN values come back as NaN. */
  runMetrics(runId: number, names?: string[]): MetricRow[] {
    return this.#read(() => {
      this.#requireRun(runId);
      return this.#runMetrics.list(runId, names);
    });
  }

  addCheckpoint(runId: number, checkpoint: { step: number; path: string; meta?: unknown }): number {
    const row = {
      runId,
      step: integer(checkpoint.step, 'step', 0),
      path: name(checkpoint.path, 'path'),
      meta: toJson(checkpoint.meta ?? null, 'meta'),
    };
    return this.#write(() => {
      this.#requireRun(runId);
      return this.#checkpoints.insert(row);
    });
  }

  listCheckpoints(runId: number): { id: number; step: number; path: string; meta: unknown; createdAt: string }[] {
    return this.#read(() => {
      this.#requireRun(runId);
      return this.#checkpoints.ofRun(runId);
    });
  }

  addEvaluationResult(result: NewEvaluation): number {
    const row = evaluationRow(result);
    return this.#write(() => {
      this.#requireRun(row.runId);
      return this.#evaluationResults.insert(row);
    });
  }

  /** Several results in one transaction: all of them are written, or none (one stage's numbers of one seed). */
  addEvaluationResults(results: readonly NewEvaluation[]): void {
    const rows = results.map(evaluationRow);
    this.#write(() => {
      for (const runId of new Set(rows.map((row) => row.runId))) this.#requireRun(runId);
      for (const row of rows) this.#evaluationResults.insert(row);
    });
  }

  /** A run's evaluation results, ordered by task, view, variant, metric and seed. */
  listEvaluationResults(runId: number): EvaluationRow[] {
    return this.#read(() => {
      this.#requireRun(runId);
      return this.#evaluationResults.ofRun(runId);
    });
  }

  /** Newest first; every run, or those of one dataset, or those with a tag. */
  listRuns(datasetId?: number, tag?: string): RunSummary[] {
    return this.#runs.list({ ...(datasetId !== undefined && { datasetId }), ...(tag !== undefined && { tag }) });
  }

  getRun(runId: number): RunSummary & { config: unknown; backendReport: unknown; error: string | null } {
    const row = this.#runs.byId(runId);
    if (!row) throw notFound('run', runId);
    return { ...row, config: fromJson(row.config), backendReport: fromJson(row.backendReport) };
  }

  // Internals

  #requireDataset(datasetId: number): DatasetSummary {
    const dataset = this.#datasets.byId(datasetId);
    if (!dataset) throw notFound('dataset', datasetId);
    return dataset;
  }

  #requireRun(runId: number): void {
    if (!this.#runs.exists(runId)) throw notFound('run', runId);
  }

  #write<Result>(fn: () => Result): Result {
    return writeTransaction(this.#db, fn)();
  }

  /** Several reads as one snapshot (a deferred transaction takes no write lock). */
  #read<Result>(fn: () => Result): Result {
    return this.#db.transaction(fn)();
  }
}

function checkedMetricRows(rows: readonly { step: number; name: string; value: number }[]): MetricRow[] {
  if (!Array.isArray(rows)) throw new ArgumentError(`rows: expected an array, got ${typeof rows}`);
  return rows.map((row, i) => ({
    step: integer(row.step, `rows[${i}].step`, 0),
    name: name(row.name, `rows[${i}].name`),
    value: number(row.value, `rows[${i}].value`),
  }));
}

function checkedRunName(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') fail('name', 'a string or null', value);
  const trimmed = value.trim();
  const problem = runNameProblem(trimmed);
  if (problem !== null) throw new ArgumentError(`name: ${problem}`);
  return trimmed === '' ? null : trimmed;
}

function checkedTag(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'a tag', value);
  const problem = tagProblem(value);
  if (problem !== null) throw new ArgumentError(`${field}: ${problem}`);
  return value;
}

function notFound(what: string, id: number): NotFoundError {
  return new NotFoundError(`no ${what} with id ${id} in the catalog`);
}

/** An evaluation result to record: one metric value of a task, optionally per view, variant and seed. */
export interface NewEvaluation {
  runId: number;
  task: string;
  view?: string | null;
  variant?: string | null;
  metric: string;
  value: number;
  /** The seed that produced the value. */
  seed?: number | null;
  meta?: unknown;
}

function evaluationRow(result: NewEvaluation) {
  const value = number(result.value, 'value');
  return {
    runId: result.runId,
    task: name(result.task, 'task'),
    view: optionalText(result.view, 'view'),
    variant: optionalText(result.variant, 'variant'),
    metric: name(result.metric, 'metric'),
    value: Number.isNaN(value) ? null : value,
    seed: optionalInteger(result.seed, 'seed', 0),
    meta: toJson(result.meta ?? null, 'meta'),
  };
}
