// Sync checks over the catalog: a scene's sync estimate (syncEstimate.ts) and, for one ego/exo pair, the heat map
// of that same estimate. Feature tracks are read through a FeatureStore whose resolver asks the catalog where each
// track's file is and how it is laid out; view signals are kept (they do not depend on offsets) and so are the last
// few estimates, keyed by the offsets they were made at, so the pair panel and the table ask for one computation.
import type { SyncEstimate, SyncProfile, ViewInfo } from '../../contract/api';
import { ArgumentError, ConflictError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { FeatureStore } from '../features/FeatureStore';
import { meanByOffset } from './correlateViews';
import { estimateSceneSync, type SceneSync } from './syncEstimate';
import { readViewSignal, type ViewSignal } from './viewSignals';

/** Bytes of decoded feature blocks a sync checker keeps. */
const SYNC_CACHE_BYTES = 64 * 1024 * 1024;
/** Bytes of view signals kept (they do not depend on sync offsets, so nudging an offset re-reads nothing). */
const SIGNAL_CACHE_BYTES = 128 * 1024 * 1024;
/** Scene estimates kept (the pair panel asks again for each pair it shows). */
const ESTIMATE_CACHE_SIZE = 4;

interface CachedEstimate {
  views: ViewInfo[];
  sync: SceneSync;
  estimate: SyncEstimate;
}

export class SyncChecker {
  readonly #catalog: Catalog;
  readonly #store: FeatureStore;
  /** The view each track was last asked for by, so the resolver knows the track's layout and dtype. */
  readonly #viewOfTrack = new Map<number, ViewInfo>();
  /** Signals by track id, least recently used first. */
  readonly #signals = new Map<number, ViewSignal>();
  #signalBytes = 0;
  /** Estimates by scene, offsets and range, least recently used first. */
  readonly #estimates = new Map<string, CachedEstimate>();

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
    this.#store = new FeatureStore(
      (trackId) => {
        const view = this.#viewOfTrack.get(trackId);
        return {
          path: catalog.trackFile(trackId, 'feature'),
          layout: view?.track?.featureLayout ?? 'TF',
          ...(view?.track?.featureDtype ? { dtype: view.track.featureDtype } : {}),
        };
      },
      { cacheBytes: SYNC_CACHE_BYTES },
    );
  }

  /** The scene's estimate at its views' current offsets. */
  suggest(sceneId: number, maxOffset: number): SyncEstimate {
    return this.#estimate(sceneId, maxOffset).estimate;
  }

  /** One ego/exo pair's heat map (exo candidates ±maxOffset, ego kept), with the estimate it belongs to. */
  profile(egoViewId: number, exoViewId: number, maxOffset: number): SyncProfile {
    const ego = this.#catalog.getView(egoViewId);
    const exo = this.#catalog.getView(exoViewId);
    if (ego.role !== 'ego') throw new ArgumentError(`arguments.egoViewId: expected an ego view, view ${egoViewId} (${ego.name}) is ${ego.role}`);
    if (exo.role !== 'exo') throw new ArgumentError(`arguments.exoViewId: expected an exo view, view ${exoViewId} (${exo.name}) is ${exo.role}`);
    if (ego.sceneId !== exo.sceneId) {
      throw new ArgumentError(`arguments.exoViewId: expected a view of the ego view's scene ${ego.sceneId}, view ${exoViewId} is in scene ${exo.sceneId}`);
    }
    const { views, sync, estimate } = this.#estimate(ego.sceneId, maxOffset);
    const i = views.findIndex((v) => v.id === egoViewId);
    const j = views.findIndex((v) => v.id === exoViewId);
    const pair = sync.pairs.find((p) => p.i === Math.min(i, j) && p.j === Math.max(i, j))!;
    // Ego views come first in a scene, so the ego view is the pair's fixed side; keep the rows within ±maxOffset.
    const rows = pair.correlation.offsets.flatMap((offset, o) => (Math.abs(offset) <= maxOffset ? [o] : []));
    const bins = pair.correlation.binWeights.flatMap((weight, b) => (weight > 0 ? [b] : []));
    const cropped = { ...pair.correlation, offsets: rows.map((o) => pair.correlation.offsets[o]!), similarity: rows.map((o) => pair.correlation.similarity[o]!) };
    return {
      egoViewId,
      exoViewId,
      offsets: cropped.offsets,
      binFrames: bins.map((b) => Math.floor((sync.grid[b]! + sync.grid[b + 1]!) / 2)),
      similarity: cropped.similarity.map((row) => bins.map((b) => row[b]!)),
      meanByOffset: meanByOffset(cropped),
      estimate,
      source: 'features',
    };
  }

  #estimate(sceneId: number, maxOffset: number): CachedEstimate {
    const { views } = this.#catalog.getScene(sceneId);
    const key = `${sceneId}:${maxOffset}:${views.map((v) => `${v.id}@${v.syncOffsetFrames}`).join(',')}`;
    const cached = this.#estimates.get(key);
    if (cached) {
      this.#estimates.delete(key);
      this.#estimates.set(key, cached);
      return cached;
    }
    if (views.length < 2) throw new ConflictError(`scene ${sceneId} has ${views.length} view: sync needs two or more to compare`);
    const signals = views.map((view) => ({ signal: this.#signal(view), offset: view.syncOffsetFrames }));
    const sync = estimateSceneSync(signals, { maxOffset });
    const referenceView = views[sync.reference]!;
    const estimate: SyncEstimate = {
      sceneId,
      maxOffset,
      reference: { viewId: referenceView.id, viewName: referenceView.name, offset: referenceView.syncOffsetFrames },
      suggestions: views.map((view, v) => {
        const { shift, suggestedShift, confidence, currentProbability } = sync.views[v]!;
        return {
          viewId: view.id,
          viewName: view.name,
          currentOffset: view.syncOffsetFrames,
          suggestedOffset: view.syncOffsetFrames + suggestedShift,
          estimatedOffset: Number.isNaN(shift) ? null : view.syncOffsetFrames + shift,
          confidence,
          currentConfidence: currentProbability,
        };
      }),
    };
    const entry = { views, sync, estimate };
    this.#estimates.set(key, entry);
    for (const oldest of this.#estimates.keys()) {
      if (this.#estimates.size <= ESTIMATE_CACHE_SIZE) break;
      this.#estimates.delete(oldest);
    }
    return entry;
  }

  /** Drops cached signals, file handles and blocks (e.g. after a dataset moved). */
  close(): void {
    this.#signals.clear();
    this.#estimates.clear();
    this.#signalBytes = 0;
    this.#store.close();
  }

  #signal(view: ViewInfo): ViewSignal {
    if (!view.track || view.track.featurePath === null) {
      throw new ConflictError(`view ${view.id} (${view.name}) has no feature track to compare`);
    }
    const trackId = view.track.id;
    const cached = this.#signals.get(trackId);
    if (cached) {
      this.#signals.delete(trackId);
      this.#signals.set(trackId, cached);
      return cached;
    }
    this.#viewOfTrack.set(trackId, view);
    const signal = readViewSignal(this.#store, trackId);
    this.#signals.set(trackId, signal);
    this.#signalBytes += signalBytes(signal);
    for (const [oldest, old] of this.#signals) {
      if (this.#signalBytes <= SIGNAL_CACHE_BYTES || oldest === trackId) break;
      this.#signals.delete(oldest);
      this.#signalBytes -= signalBytes(old);
    }
    return signal;
  }
}

const signalBytes = (signal: ViewSignal) =>
  signal.reduced.byteLength + signal.selfSimilarity.reduce((sum, series) => sum + series.byteLength, 0);
