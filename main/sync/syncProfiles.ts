// Sync checks over the catalog: the similarity profile of one ego/exo pair over candidate offsets and time, and an
// offset suggestion for every view of a scene. Feature tracks are read through a FeatureStore whose resolver asks
// the catalog where each track's file is and how it is laid out.
//
// Suggestions for a scene: every pair of views (ego-ego, ego-exo, exo-exo) is correlated and its best shift refined
// to sub-frame precision; all views' offsets are then fitted to all pairs at once by least squares
// (consensusOffsets.ts), with the scene's first ego view (views come ego first, by name) as the reference that
// keeps its offset. Chaining (other ego views against an exo view fixed first) would add one step's error to the
// next, and comparing each view with the reference alone leaves each view to one noisy comparison; the consensus
// uses every comparison. A view's confidence is the mean confidence of its pairs.
import type { SyncProfile, SyncSuggestion, ViewInfo } from '../../contract/api';
import { ArgumentError, ConflictError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { FeatureStore } from '../features/FeatureStore';
import { consensusShifts, type PairShift } from './consensusOffsets';
import { correlateViews, MIN_BIN_FRAMES, refinedPeak, sharedSceneTimes } from './correlateViews';
import { readViewSignal, type ViewSignal } from './viewSignals';

/** Bytes of decoded feature blocks a sync checker keeps. */
const SYNC_CACHE_BYTES = 64 * 1024 * 1024;
/** Bytes of view signals kept (they do not depend on sync offsets, so nudging an offset re-reads nothing). */
const SIGNAL_CACHE_BYTES = 128 * 1024 * 1024;
/** Multiply-adds one scene's suggestions may spend over all its view pairs (see correlateViews' costBudget). */
const SUGGESTION_COST_BUDGET = 2e9;

export class SyncChecker {
  readonly #catalog: Catalog;
  readonly #store: FeatureStore;
  /** The view each track was last asked for by, so the resolver knows the track's layout and dtype. */
  readonly #viewOfTrack = new Map<number, ViewInfo>();
  /** Signals by track id, least recently used first. */
  readonly #signals = new Map<number, ViewSignal>();
  #signalBytes = 0;

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

  profile(egoViewId: number, exoViewId: number, maxOffset: number, bins?: number): SyncProfile {
    const ego = this.#catalog.getView(egoViewId);
    const exo = this.#catalog.getView(exoViewId);
    if (ego.role !== 'ego') throw new ArgumentError(`arguments.egoViewId: expected an ego view, view ${egoViewId} (${ego.name}) is ${ego.role}`);
    if (exo.role !== 'exo') throw new ArgumentError(`arguments.exoViewId: expected an exo view, view ${exoViewId} (${exo.name}) is ${exo.role}`);
    if (ego.sceneId !== exo.sceneId) {
      throw new ArgumentError(`arguments.exoViewId: expected a view of the ego view's scene ${ego.sceneId}, view ${exoViewId} is in scene ${exo.sceneId}`);
    }
    const correlation = correlateViews(
      { signal: this.#signal(ego), offset: ego.syncOffsetFrames },
      { signal: this.#signal(exo), offset: exo.syncOffsetFrames },
      bins === undefined ? { maxOffset } : { maxOffset, bins },
    );
    return { egoViewId, exoViewId, ...correlation, source: 'features' };
  }

  suggest(sceneId: number, maxOffset: number): SyncSuggestion[] {
    const { views } = this.#catalog.getScene(sceneId);
    const reference = views.findIndex((view) => view.role === 'ego');
    if (reference < 0) throw new ConflictError(`scene ${sceneId} has no ego view to serve as the sync reference`);
    const signals = views.map((view) => this.#signal(view));
    const pairCount = (views.length * (views.length - 1)) / 2;
    const pairs: PairShift[] = [];
    const confidenceSum = new Float64Array(views.length);
    for (let i = 0; i < views.length; i++) {
      for (let j = i + 1; j < views.length; j++) {
        const first = { signal: signals[i]!, offset: views[i]!.syncOffsetFrames };
        const second = { signal: signals[j]!, offset: views[j]!.syncOffsetFrames };
        // Two views that may each be off by maxOffset may be off from each other by twice that.
        const wide = i !== reference && j !== reference;
        const range = sharedSceneTimes(first, second, 2 * maxOffset);
        const pairMaxOffset = wide && range.end - range.start >= MIN_BIN_FRAMES ? 2 * maxOffset : maxOffset;
        const { offsets, meanByOffset, confidence } = correlateViews(first, second, {
          maxOffset: pairMaxOffset,
          costBudget: SUGGESTION_COST_BUDGET / pairCount,
        });
        pairs.push({ i, j, shift: refinedPeak(offsets, meanByOffset), weight: 1 });
        confidenceSum[i]! += confidence;
        confidenceSum[j]! += confidence;
      }
    }
    const shifts = consensusShifts(views.length, pairs, reference);
    return views.flatMap((view, v) =>
      v === reference
        ? []
        : [
            {
              viewId: view.id,
              viewName: view.name,
              currentOffset: view.syncOffsetFrames,
              suggestedOffset: view.syncOffsetFrames + Math.max(-maxOffset, Math.min(maxOffset, Math.round(shifts[v]!))),
              confidence: confidenceSum[v]! / (views.length - 1),
            },
          ],
    );
  }

  /** Drops cached signals, file handles and blocks (e.g. after a dataset moved). */
  close(): void {
    this.#signals.clear();
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
