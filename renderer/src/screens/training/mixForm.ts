// Step 1 on several datasets in the Training screen: the datasets chosen besides the run's own, the shares typed
// for each (all blank: in proportion to their pair counts), checked as typed and turned into the API's arguments;
// and an opened run's mix as table rows.
import type { DatasetMix } from '../../../../contract/api';

/** The datasets besides the run's own, and the share typed per dataset id ('' = not given). */
export interface MixChoice {
  extraDatasetIds: number[];
  shares: Record<number, string>;
}

export type MixArguments =
  | { ok: true; extraDatasetIds?: number[]; mix?: { datasetId: number; proportion: number }[] }
  | { ok: false; error: string };

/** The startPretrain / startPipeline arguments for step 1 on `datasetId` and the chosen extra datasets. */
export function mixArguments(datasetId: number, choice: MixChoice): MixArguments {
  const extra = choice.extraDatasetIds.filter((id) => id !== datasetId);
  if (extra.length === 0) return { ok: true };
  const ids = [datasetId, ...extra];
  const typed = ids.map((id) => (choice.shares[id] ?? '').trim());
  if (typed.every((text) => text === '')) return { ok: true, extraDatasetIds: extra };
  if (typed.some((text) => text === '')) return { ok: false, error: 'give a share for every dataset, or none (then by pair counts)' };
  const values = typed.map(Number);
  const bad = values.findIndex((value) => !(Number.isFinite(value) && value > 0));
  if (bad >= 0) return { ok: false, error: `expected a positive share, got ${JSON.stringify(typed[bad])}` };
  return { ok: true, extraDatasetIds: extra, mix: ids.map((id, i) => ({ datasetId: id, proportion: values[i]! })) };
}

export interface MixRow {
  name: string;
  format: string;
  pairs: string;
  requested: string;
  effective: string;
}

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;

/** One row per dataset of a run's mix. */
export function mixRows(mix: DatasetMix): MixRow[] {
  return mix.datasets.map((d) => ({
    name: d.name,
    format: d.format,
    pairs: d.pairs.toLocaleString('en-US'),
    requested: percent(d.requested),
    effective: percent(d.effective),
  }));
}
