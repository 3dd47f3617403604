// The pipeline report as typed data: the tables in the publication's layout (retrieval; Table 1's ablation;
// Table 2's segmentation, one block per head with Base, +EVGAP* and +EVGAP on single- and two-view inputs;
// Tables 4/5's novel-view rows; anticipation), each number as its mean ± standard deviation over the seeds the
// pipeline repeated it with, each Δ with whether it is significant, the loss curves and what produced them.
// One source of truth: this is what report.json holds, what the API's getReport returns, and what the HTML page,
// the CSV files and the Results screen render (through contract/reportTables.ts). Plain JSON only: numbers are
// percentages (ranks for median rank); a metric that could not be computed is null.
import type { SegmentationHeadName } from './api';

export const reportFormat = 'evgap-pipeline-report';
/** 2: segmentation in one block per head (Table 2). 3: numbers over seeds (mean ± std, n), Δ with significance, status. */
export const reportVersion = 3;

/**
 * One number over the seeds it was measured with: the mean, the sample standard deviation (n − 1; null below
 * two values), how many seeds gave a value, and each seed's value in the order of the section's seeds (null
 * where that seed could not compute it).
 */
export type SeedStat = { mean: number | null; std: number | null; n: number; values: (number | null)[] };

/**
 * A difference against Base over paired seeds (each seed trained both rows): the statistics of the per-seed
 * differences, and whether the mean difference is significant by the report's rule (ReportData.spread.rule).
 * `significant` is null when fewer than two seeds give a difference (no spread: nothing is marked).
 */
export type DeltaStat = SeedStat & { significant: boolean | null };

export const segmentationMetricNames = ['f1_10', 'f1_25', 'f1_50', 'edit', 'acc', 'avg'] as const;
export type SegmentationMetricName = (typeof segmentationMetricNames)[number];
export const segmentationMetricLabels: Readonly<Record<SegmentationMetricName, string>> = {
  f1_10: 'F1@10',
  f1_25: 'F1@25',
  f1_50: 'F1@50',
  edit: 'Edit',
  acc: 'Acc',
  avg: 'Avg',
};

export const anticipationMetricNames = ['verb', 'object', 'action', 'avg'] as const;
export type AnticipationMetricName = (typeof anticipationMetricNames)[number];
export const anticipationMetricLabels: Readonly<Record<AnticipationMetricName, string>> = { verb: 'Verb', object: 'Object', action: 'Action', avg: 'Avg' };

/** F1@{10,25,50}, Edit, Acc and their mean (MS-TCN's evaluation), in percent. */
export type Scores = Record<SegmentationMetricName, SeedStat>;
export type ScoreDeltas = Record<SegmentationMetricName, DeltaStat>;

/** Recall@k (percent) by k as a string key ("1", "5", "10"), and the median rank. */
export type RetrievalNumbers = { recallAt: Record<string, SeedStat>; medianRank: SeedStat };
/** Chance levels: the same for every seed (they depend only on the gallery sizes). */
export type RetrievalChanceNumbers = { recallAt: Record<string, number | null>; medianRank: number | null };

export type RetrievalVariant = 'raw' | 'step1' | 'step2';

export type RetrievalRow = {
  variant: RetrievalVariant;
  /** "Raw features (Base)", "EVGAP step 1", "EVGAP step 1+2". */
  label: string;
  egoToExo: RetrievalNumbers;
  exoToEgo: RetrievalNumbers;
};

export type RetrievalPairRow = RetrievalRow & { egoView: string; exoView: string };

export type RetrievalSection = {
  /** The pre-training seeds the numbers come from (retrieval depends only on the encoders). */
  seeds: number[];
  split: string;
  window: number;
  stride: number;
  ks: number[];
  scenes: number;
  /** The mean over (ego view, exo view) pairs, one row per variant. */
  mean: RetrievalRow[];
  /** Chance of the mean (the same for every variant). */
  chance: { egoToExo: RetrievalChanceNumbers; exoToEgo: RetrievalChanceNumbers };
  pairs: RetrievalPairRow[];
};

/** The ablation's rows (Table 1). */
export type SegmentationVariant = 'base' | 'random' | 'step1' | 'step2' | 'step1+step2';

/** The segmentation table's inputs (Table 2): raw features, the frozen EVGAP encoder (EVGAP*), the fine-tuned one. */
export type SegmentationInput = 'base' | 'evgap-frozen' | 'evgap';

/** A row of Table 2; `delta` is against the block's Base row of the same protocol (null for Base itself). */
export type SegmentationRow = { input: SegmentationInput; label: string; scores: Scores; delta: ScoreDeltas | null };

/** One head's block of the segmentation table. */
export type SegmentationHeadBlock = {
  head: SegmentationHeadName;
  /** "C2F-TCN", "ASFormer", "LTContext". */
  label: string;
  /** The head's preset ('cpu' or 'paper'). */
  preset: string;
  singleView: SegmentationRow[];
  twoView: SegmentationRow[];
};

export type SegmentationSection = {
  seeds: number[];
  /** Train/test video counts and protocol notes. */
  notes: string[];
  heads: SegmentationHeadBlock[];
};

export type NovelViewRow = { view: string; role: 'ego' | 'exo'; base: Scores; evgap: Scores; delta: ScoreDeltas };

export type NovelViewSection = {
  seeds: number[];
  heldOutViews: string[];
  /** The head's label (the first head of the segmentation table). */
  head: string;
  rows: NovelViewRow[];
};

export type AnticipationNumbers = Record<AnticipationMetricName, SeedStat>;
export type AnticipationDeltas = Record<AnticipationMetricName, DeltaStat>;

export type AnticipationInput = 'ego' | 'exo' | 'ego+exo';

export type AnticipationRow = { input: AnticipationInput; base: AnticipationNumbers; evgap: AnticipationNumbers; delta: AnticipationDeltas };

export type AnticipationSection = { seeds: number[]; notes: string[]; rows: AnticipationRow[] };

/** A row of Table 1; the Δ are against the Base row (null for Base itself). */
export type AblationRow = {
  variant: SegmentationVariant;
  label: string;
  singleView: Scores;
  twoView: Scores;
  singleViewDelta: ScoreDeltas | null;
  twoViewDelta: ScoreDeltas | null;
};

export type AblationSection = {
  seeds: number[];
  notes: string[];
  /** The head's label (the first head of the segmentation table). */
  head: string;
  rows: AblationRow[];
};

export type LossCurve = { runId: number; label: string; points: { step: number; loss: number }[] };

export type StageTiming = { stage: string; seconds: number };

/** The pre-training runs of one pre-training seed (null: not made, e.g. in a pipeline that stopped before it). */
export type PretrainingRuns = { seed: number; step1: number | null; step2: number | null; step2FromRandom: number | null };

/**
 * How the pipeline ended. A report is written when it completed, and also when it failed or was cancelled after
 * some table had numbers: then it holds the tables (or seeds) that were finished and says where it stopped.
 */
export type ReportStatus = 'completed' | 'failed' | 'cancelled';

/** The seeds the numbers were repeated over and the rule that marks a Δ significant (said in the notes). */
export type ReportSpread = {
  /** The seeds of the downstream heads (segmentation, novel view, anticipation, ablation). */
  seeds: number[];
  /** The seeds of pre-training (one, the pipeline's seed, unless pre-training was repeated too). */
  pretrainingSeeds: number[];
  /** Mean ± std and the significance rule, in words (shown under every table with Δ). */
  rule: string;
  /** Two-sided confidence level of the significance test. */
  confidence: number;
};

export type ReportData = {
  format: typeof reportFormat;
  version: typeof reportVersion;
  runId: number;
  status: ReportStatus;
  /** The stage the pipeline stopped in, when it did not complete. */
  failedStage: string | null;
  /** Why it stopped ("segmentation: Error: …"), when it did not complete. */
  error: string | null;
  dataset: string;
  preset: string;
  quick: boolean;
  /** The pipeline's seed (the first of spread.seeds). */
  seed: number;
  spread: ReportSpread;
  createdAt: string;
  backend: string;
  /** The pre-training runs the pipeline made or was given, per pre-training seed. */
  runs: PretrainingRuns[];
  /** How the novel-view +EVGAP and the ablation's +step rows use the encoder, in words (frozen EVGAP* or fine-tuned EVGAP). */
  encoderMode: string;
  /** The pipeline settings, resolved (training overrides, heads, anticipation). */
  settings: unknown;
  losses: LossCurve[];
  retrieval: RetrievalSection | null;
  segmentation: SegmentationSection | null;
  novelView: NovelViewSection | null;
  anticipation: AnticipationSection | null;
  ablation: AblationSection | null;
  timings: StageTiming[];
  wallSeconds: number;
};

/** A pipeline run that has a report, as the Results screen's run selector lists it (api.listReports). */
export type ReportSummary = {
  runId: number;
  datasetId: number | null;
  dataset: string;
  status: ReportStatus;
  failedStage: string | null;
  error: string | null;
  quick: boolean;
  preset: string;
  /** How many seeds the downstream heads were repeated over. */
  seeds: number;
  createdAt: string;
  /** Why the report's tables cannot be shown here (a report written by another version of the app); null if they can. */
  problem: string | null;
};
