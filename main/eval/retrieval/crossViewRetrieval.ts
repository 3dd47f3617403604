// Cross-view retrieval on held-out scenes (docs/method.md, "Evaluation"): for each (ego view, exo view), the
// clips of the two views at the same timestamps; ego→exo and exo→ego Recall@k and median rank, with chance.
//
// Gallery: within one scene, the query's gallery is that scene's clips of the other view, one per timestamp, so a
// query must tell its moment from temporally distant moments of the same scene (the paper's hard negatives)
// rather than from other scenes, which would be easy. Scenes are not pooled: each scene gives its own metrics and
// chance (its n is its number of timestamps), and a pair's numbers are the plain mean over the scenes that have
// both views, chance averaged the same way, so every scene weighs the same whatever its length. The mean over
// pairs weighs every (ego, exo) pair the same. The per-scene numbers are returned too.
//
// Timestamps are shared by all participating views of a scene (evaluationClips.ts), so every pair of a scene is
// scored on the same moments; each view's clips are embedded once and reused for all its pairs.
// A NaN or an infinity in a clip's features is an error naming the scene, view, clip and frame, not a NaN result.
import { checkFiniteClips } from '../../engine/finiteValues';
import type { FrameReader } from '../../features/FeatureStore';
import type { SceneSource, SceneSplit, SourceView } from '../../engine/sampling/sources';
import { evaluationTimestamps, readViewClips, type ClipEmbedder, type ClipGeometry } from './evaluationClips';
import { defaultRecallKs, matchRanksBothWays, metricsFromRanks, type EmbeddingMatrix, type RetrievalMetrics } from './retrievalMetrics';

/** No scene of the requested split (and views) can be evaluated; the message says what was found instead. */
export class NoEvaluationScenesError extends Error {
  override name = 'NoEvaluationScenesError';
}

export type CrossViewOptions = {
  /** Candidate scenes; only those of `split` are evaluated. */
  scenes: readonly SceneSource[];
  /** Reads the views' feature tracks. */
  reader: FrameReader;
  /** Window w1 (scale 1) and stride w2. */
  geometry: ClipGeometry;
  /** Clip embeddings [B, D]: an encoder's or the raw-feature Base (embedders.ts). */
  embed: ClipEmbedder;
  /** The held-out split to evaluate (default 'test'); null evaluates every scene. */
  split?: SceneSplit | null;
  /** Only views with these names take part (default: all). */
  views?: readonly string[] | null;
  /** The k of Recall@k (default 1, 5, 10). */
  ks?: readonly number[];
  /** Called after each scene, for progress output. */
  onScene?: (done: number, total: number, scene: string) => void;
};

/** Metrics averaged over scenes (or pairs), chance averaged alike. */
export type RetrievalSummary = {
  recallAt: Record<number, number>;
  medianRank: number;
  chanceRecallAt: Record<number, number>;
  chanceMedianRank: number;
  /** Scenes the average is over. */
  scenes: number;
  /** Queries in those scenes, all together. */
  queries: number;
};

export type SceneRetrieval = {
  sceneId: number;
  scene: string;
  egoToExo: RetrievalMetrics;
  exoToEgo: RetrievalMetrics;
};

export type PairRetrieval = {
  egoView: string;
  exoView: string;
  egoToExo: RetrievalSummary;
  exoToEgo: RetrievalSummary;
  perScene: SceneRetrieval[];
};

export type CrossViewResult = {
  split: SceneSplit | null;
  window: number;
  stride: number;
  ks: number[];
  /** Scenes that were evaluated. */
  scenes: number;
  /** Per (ego view, exo view), ordered by ego then exo view name. */
  pairs: PairRetrieval[];
  /** The mean over pairs (each pair weighs the same); scenes counts the distinct scenes. */
  mean: { egoToExo: RetrievalSummary; exoToEgo: RetrievalSummary; pairs: number };
  /** Scenes left out and why. */
  warnings: string[];
};

export function crossViewRetrieval(options: CrossViewOptions): CrossViewResult {
  const { reader, geometry, embed, onScene } = options;
  const split = options.split === undefined ? 'test' : options.split;
  const ks = [...(options.ks ?? defaultRecallKs)];
  const viewFilter = options.views ? new Set(options.views) : null;
  const selected = options.scenes.filter((scene) => split === null || scene.split === split);
  if (selected.length === 0) throw new NoEvaluationScenesError(`no scenes of split '${split}' to evaluate (${describeSplits(options.scenes)})`);

  const warnings: string[] = [];
  const byPair = new Map<string, { egoView: string; exoView: string; perScene: SceneRetrieval[] }>();
  const evaluated = new Set<number>();
  selected.forEach((scene, index) => {
    const views = scene.views.filter((view) => viewFilter === null || viewFilter.has(view.name));
    const ego = views.filter((view) => view.role === 'ego').sort(byName);
    const exo = views.filter((view) => view.role === 'exo').sort(byName);
    const timestamps = evaluationTimestamps(views, geometry);
    if (ego.length === 0 || exo.length === 0) {
      warnings.push(`scene ${scene.name} (#${scene.sceneId}) left out: has ${ego.length} ego and ${exo.length} exo views, needs one of each`);
    } else if (timestamps.length < 2) {
      warnings.push(
        `scene ${scene.name} (#${scene.sceneId}) left out: ${timestamps.length} window(s) of ${geometry.window} frames every ` +
          `${geometry.stride} fit in all its views after offsets, retrieval needs at least 2`,
      );
    } else {
      const embeddings = new Map<SourceView, EmbeddingMatrix>();
      for (const view of [...ego, ...exo]) {
        const clips = readViewClips(reader, view, timestamps, geometry);
        checkFiniteClips(clips.data, clips.shape, `scene ${scene.name} view ${view.name} (track ${view.trackId})`, (i) => `clip ${i} (scene frame ${timestamps[i]})`);
        embeddings.set(view, embed(clips));
      }
      for (const egoView of ego) {
        for (const exoView of exo) {
          const egoEmbeddings = embeddings.get(egoView) as EmbeddingMatrix;
          const exoEmbeddings = embeddings.get(exoView) as EmbeddingMatrix;
          const key = `${egoView.name}\u0000${exoView.name}`;
          const entry = byPair.get(key) ?? { egoView: egoView.name, exoView: exoView.name, perScene: [] };
          const ranks = matchRanksBothWays(egoEmbeddings, exoEmbeddings);
          entry.perScene.push({
            sceneId: scene.sceneId,
            scene: scene.name,
            egoToExo: metricsFromRanks(ranks.aToB, ks),
            exoToEgo: metricsFromRanks(ranks.bToA, ks),
          });
          byPair.set(key, entry);
        }
      }
      evaluated.add(scene.sceneId);
    }
    onScene?.(index + 1, selected.length, scene.name);
  });
  if (byPair.size === 0) {
    throw new NoEvaluationScenesError(`none of the ${selected.length} scenes of split '${split}' can be evaluated: ${warnings.join('; ')}`);
  }

  const pairs = [...byPair.values()]
    .sort((a, b) => a.egoView.localeCompare(b.egoView) || a.exoView.localeCompare(b.exoView))
    .map(({ egoView, exoView, perScene }) => ({
      egoView,
      exoView,
      egoToExo: average(perScene.map((s) => summaryOf(s.egoToExo)), ks, perScene.length),
      exoToEgo: average(perScene.map((s) => summaryOf(s.exoToEgo)), ks, perScene.length),
      perScene,
    }));
  return {
    split,
    window: geometry.window,
    stride: geometry.stride,
    ks,
    scenes: evaluated.size,
    pairs,
    mean: {
      egoToExo: average(pairs.map((p) => p.egoToExo), ks, evaluated.size),
      exoToEgo: average(pairs.map((p) => p.exoToEgo), ks, evaluated.size),
      pairs: pairs.length,
    },
    warnings,
  };
}

function summaryOf(metrics: RetrievalMetrics): RetrievalSummary {
  const { recallAt, medianRank, chanceRecallAt, chanceMedianRank, n } = metrics;
  return { recallAt, medianRank, chanceRecallAt, chanceMedianRank, scenes: 1, queries: n };
}

/** The plain mean of every metric and chance level; queries are summed, scenes given by the caller. */
function average(items: readonly RetrievalSummary[], ks: readonly number[], scenes: number): RetrievalSummary {
  const mean = (pick: (item: RetrievalSummary) => number) => items.reduce((sum, item) => sum + pick(item), 0) / items.length;
  const recallAt: Record<number, number> = {};
  const chanceRecallAt: Record<number, number> = {};
  for (const k of ks) {
    recallAt[k] = mean((item) => item.recallAt[k] as number);
    chanceRecallAt[k] = mean((item) => item.chanceRecallAt[k] as number);
  }
  return {
    recallAt,
    medianRank: mean((item) => item.medianRank),
    chanceRecallAt,
    chanceMedianRank: mean((item) => item.chanceMedianRank),
    scenes,
    queries: items.reduce((sum, item) => sum + item.queries, 0),
  };
}

function byName(a: SourceView, b: SourceView): number {
  return a.name.localeCompare(b.name) || a.viewId - b.viewId;
}

function describeSplits(scenes: readonly SceneSource[]): string {
  if (scenes.length === 0) return 'the dataset has no scenes';
  const counts = new Map<string, number>();
  for (const scene of scenes) counts.set(scene.split ?? 'none', (counts.get(scene.split ?? 'none') ?? 0) + 1);
  return `scenes by split: ${[...counts].map(([name, count]) => `${name} ${count}`).join(', ')}`;
}
