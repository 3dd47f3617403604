// The pipeline report as data: the tables in the publication's layout (retrieval; Table 1's ablation; Tables
// 4/5's novel-view rows; single- vs two-view segmentation; anticipation), the loss curves and what produced them.
// This is what report.json holds and what the API's getReport returns as `data`; the HTML page and the CSV files
// are rendered from it. Plain JSON only: numbers are percentages (ranks for median rank); a metric that could not
// be computed is null.
import type { SegmentationScores } from '../eval/segmentation/metrics';

export const reportFormat = 'evgap-pipeline-report';
export const reportVersion = 1;

/** Recall@k (percent) by k as a string key ("1", "5", "10"), and the median rank. */
export type RetrievalNumbers = { recallAt: Record<string, number | null>; medianRank: number | null };

export type RetrievalDirection = 'egoToExo' | 'exoToEgo';

export type RetrievalVariant = 'raw' | 'step1' | 'step2';

export type RetrievalRow = {
  variant: RetrievalVariant;
  /** "Raw features", "EVGAP step 1", "EVGAP step 1+2". */
  label: string;
  egoToExo: RetrievalNumbers;
  exoToEgo: RetrievalNumbers;
};

export type RetrievalPairRow = RetrievalRow & { egoView: string; exoView: string };

export type RetrievalSection = {
  split: string;
  window: number;
  stride: number;
  ks: number[];
  scenes: number;
  /** The mean over (ego view, exo view) pairs, one row per variant. */
  mean: RetrievalRow[];
  /** Chance of the mean (the same for every variant). */
  chance: { egoToExo: RetrievalNumbers; exoToEgo: RetrievalNumbers };
  pairs: RetrievalPairRow[];
};

export type Scores = { [K in keyof SegmentationScores]: number | null };

export type SegmentationVariant = 'base' | 'random' | 'step1' | 'step2' | 'step1+step2';

export type SegmentationRow = { variant: SegmentationVariant; label: string; scores: Scores };

export type NovelViewRow = { view: string; role: 'ego' | 'exo'; base: Scores; evgap: Scores; delta: Scores };

export type AnticipationNumbers = { verb: number | null; object: number | null; action: number | null; avg: number | null };

export type AnticipationRow = { input: 'ego' | 'exo' | 'ego+exo'; base: AnticipationNumbers; evgap: AnticipationNumbers; delta: AnticipationNumbers };

export type AblationRow = { variant: SegmentationVariant; label: string; singleView: Scores; twoView: Scores };

export type LossCurve = { runId: number; label: string; points: { step: number; loss: number }[] };

export type StageTiming = { stage: string; seconds: number };

export type ReportData = {
  format: typeof reportFormat;
  version: typeof reportVersion;
  runId: number;
  dataset: string;
  preset: string;
  quick: boolean;
  seed: number;
  createdAt: string;
  backend: string;
  /** The pre-training runs the pipeline made. */
  runs: { step1: number; step2: number; step2FromRandom: number | null };
  /** How the +EVGAP rows use the encoder, in words (frozen EVGAP* or fine-tuned EVGAP). */
  encoderMode: string;
  /** The pipeline settings, resolved (training overrides, heads, anticipation). */
  settings: unknown;
  losses: LossCurve[];
  retrieval: RetrievalSection | null;
  segmentation: {
    /** Train/test video counts and protocol notes. */
    notes: string[];
    singleView: SegmentationRow[];
    twoView: SegmentationRow[];
  } | null;
  novelView: { heldOutViews: string[]; rows: NovelViewRow[] } | null;
  anticipation: { notes: string[]; rows: AnticipationRow[] } | null;
  ablation: { notes: string[]; rows: AblationRow[] } | null;
  timings: StageTiming[];
  wallSeconds: number;
};

export const segmentationMetricNames = ['f1_10', 'f1_25', 'f1_50', 'edit', 'acc', 'avg'] as const;
export const segmentationMetricLabels = ['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg'] as const;

/** A finite number, or null (JSON has no NaN). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function scoresOf(scores: SegmentationScores): Scores {
  return {
    f1_10: finiteOrNull(scores.f1_10),
    f1_25: finiteOrNull(scores.f1_25),
    f1_50: finiteOrNull(scores.f1_50),
    edit: finiteOrNull(scores.edit),
    acc: finiteOrNull(scores.acc),
    avg: finiteOrNull(scores.avg),
  };
}

/** Field-wise b − a (null where either is null). */
export function difference<T extends Record<string, number | null>>(a: T, b: T): T {
  const out: Record<string, number | null> = {};
  for (const key of Object.keys(a)) {
    const x = a[key];
    const y = b[key];
    out[key] = x === null || x === undefined || y === null || y === undefined ? null : y - x;
  }
  return out as T;
}
