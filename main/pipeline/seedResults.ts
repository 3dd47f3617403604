// What one seed of a pipeline stage measures, as plain numbers (percentages; ranks for median rank; null where a
// metric could not be computed). The stages return these per seed; main/report/seedSummary.ts turns the seeds'
// results into the report's tables (contract/report.ts: mean ± std, n, Δ with significance) and
// main/pipeline/resultRows.ts into catalog rows, one per seed.
import type {
  AnticipationInput,
  AnticipationMetricName,
  RetrievalVariant,
  SegmentationInput,
  SegmentationMetricName,
  SegmentationVariant,
} from '../../contract/report';
import type { SegmentationHeadName } from '../../contract/api';
import type { SegmentationScores } from '../eval/segmentation/metrics';

export type SeedScores = Record<SegmentationMetricName, number | null>;

export type SeedRetrievalNumbers = { recallAt: Record<string, number | null>; medianRank: number | null };

export type SeedRetrievalRow = { variant: RetrievalVariant; label: string; egoToExo: SeedRetrievalNumbers; exoToEgo: SeedRetrievalNumbers };

export type SeedRetrieval = {
  split: string;
  window: number;
  stride: number;
  ks: number[];
  scenes: number;
  mean: SeedRetrievalRow[];
  chance: { egoToExo: SeedRetrievalNumbers; exoToEgo: SeedRetrievalNumbers };
  pairs: (SeedRetrievalRow & { egoView: string; exoView: string })[];
};

export type SeedSegmentationRow = { input: SegmentationInput; label: string; scores: SeedScores };

export type SeedSegmentationBlock = { head: SegmentationHeadName; label: string; preset: string; singleView: SeedSegmentationRow[]; twoView: SeedSegmentationRow[] };

export type SeedNovelViewRow = { view: string; role: 'ego' | 'exo'; base: SeedScores; evgap: SeedScores };

export type SeedSegmentation = { heads: SeedSegmentationBlock[]; novelView: SeedNovelViewRow[]; notes: string[] };

export type SeedAnticipationNumbers = Record<AnticipationMetricName, number | null>;

export type SeedAnticipation = { rows: { input: AnticipationInput; base: SeedAnticipationNumbers; evgap: SeedAnticipationNumbers }[]; notes: string[] };

export type SeedAblationRow = { variant: SegmentationVariant; label: string; singleView: SeedScores; twoView: SeedScores };

/** A finite number, or null (JSON has no NaN). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function scoresOf(scores: SegmentationScores): SeedScores {
  return {
    f1_10: finiteOrNull(scores.f1_10),
    f1_25: finiteOrNull(scores.f1_25),
    f1_50: finiteOrNull(scores.f1_50),
    edit: finiteOrNull(scores.edit),
    acc: finiteOrNull(scores.acc),
    avg: finiteOrNull(scores.avg),
  };
}
