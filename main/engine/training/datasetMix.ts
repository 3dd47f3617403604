// Step 1 on several datasets: the request's datasets and shares checked against the catalog (distinct, known,
// shares for exactly those datasets, features of one dimension), the shares turned into the sampler's integer
// weights (given ones, or each dataset's pair count by default), and the record stored in the run's config as `mix`
// (contract/api.ts DatasetMix), from which a resumed run rebuilds exactly the same mix.
import type { DatasetMix, DatasetMixEntry } from '../../../contract/api';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import { type MixDatasetCounts } from '../sampling/mixedPairSampler';
import { mixWeights } from '../sampling/mixSchedule';

/** A dataset's share of step 1's pairs, by name. */
export type MixShare = { dataset: string; proportion: number };

type MixCatalog = Pick<Catalog, 'findDatasetByName' | 'listScenes' | 'getScene'>;

/** The datasets a new step-1 run trains on, in order: `dataset` first, then the extra ones; checked. */
export function mixDatasetNames(dataset: string, extra: readonly string[] | undefined, shares: readonly MixShare[] | undefined): string[] {
  const names = [dataset, ...(extra ?? [])];
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) throw new ArgumentError(`datasets: each dataset takes part once, ${[...new Set(repeated)].join(', ')} is named twice`);
  if (shares === undefined) return names;
  if (names.length < 2) throw new ArgumentError('mix: proportions need step 1 on several datasets; name more than one');
  const named = shares.map((share) => share.dataset);
  const missing = names.filter((name) => !named.includes(name));
  const unknown = named.filter((name) => !names.includes(name));
  if (missing.length > 0 || unknown.length > 0 || named.length !== names.length) {
    throw new ArgumentError(
      `mix: expected one proportion for each of ${names.join(', ')}` +
        (missing.length > 0 ? `; missing ${missing.join(', ')}` : '') +
        (unknown.length > 0 ? `; not among the datasets: ${unknown.join(', ')}` : '') +
        (missing.length === 0 && unknown.length === 0 ? '; a dataset is given twice' : ''),
    );
  }
  for (const share of shares) {
    if (!(typeof share.proportion === 'number' && Number.isFinite(share.proportion) && share.proportion > 0)) {
      throw new ArgumentError(`mix: expected a positive proportion for ${share.dataset}, got ${String(share.proportion)}`);
    }
  }
  return names;
}

/**
 * Throws ArgumentError naming each dataset's feature dimensions unless they all share one, read from the catalog
 * (no file is opened): checked before any run row or file is written.
 */
export function requireOneFeatureDim(catalog: MixCatalog, names: readonly string[]): void {
  const dims = names.map((name) => {
    const dataset = catalog.findDatasetByName(name);
    if (dataset === undefined) throw new NotFoundError(`no dataset named ${JSON.stringify(name)} in the catalog`);
    const found = new Set<number>();
    for (const scene of catalog.listScenes(dataset.id)) {
      for (const view of catalog.getScene(scene.id).views) if (view.track?.featureDim != null) found.add(view.track.featureDim);
    }
    return { name, dims: [...found].sort((a, b) => a - b) };
  });
  const all = new Set(dims.flatMap((d) => d.dims));
  if (all.size > 1) {
    const listed = dims.map((d) => `${d.name} ${d.dims.length === 0 ? 'none' : d.dims.map((dim) => `${dim}-d`).join(' and ')}`).join(', ');
    throw new ArgumentError(`step 1 on several datasets needs features of one dimension; the datasets have ${listed}`);
  }
}

/** The sampler's weights: the given shares, or else each dataset's pair count. */
export function mixWeightsFor(counts: readonly { name: string; pairs: number }[], shares: readonly MixShare[] | undefined): number[] {
  if (shares === undefined) return mixWeights(counts.map((c) => c.pairs));
  return mixWeights(counts.map((c) => shares.find((share) => share.dataset === c.name)!.proportion));
}

/** The record stored with the run. */
export function mixRecord(
  datasets: readonly { id: number; name: string; format: string }[],
  counts: readonly MixDatasetCounts[],
  weights: readonly number[],
  shares: readonly MixShare[] | undefined,
  batches: number,
  effective: readonly number[],
): DatasetMix {
  const requestedRaw = shares === undefined ? counts.map((c) => c.pairs) : counts.map((c) => shares.find((s) => s.dataset === c.name)!.proportion);
  const total = requestedRaw.reduce((a, b) => a + b, 0);
  return {
    version: 1,
    proportionsFrom: shares === undefined ? 'pairs' : 'given',
    batches,
    datasets: datasets.map((dataset, d): DatasetMixEntry => ({
      datasetId: dataset.id,
      name: dataset.name,
      format: dataset.format,
      pairs: counts[d]!.pairs,
      pairSources: counts[d]!.pairSources,
      setsPerEpoch: counts[d]!.setsPerEpoch,
      requested: requestedRaw[d]! / total,
      weight: weights[d]!,
      effective: effective[d]!,
    })),
  };
}

/** The mix stored in a run's config, or null for a run on one dataset (or a config without a readable mix). */
export function storedMix(config: unknown): DatasetMix | null {
  if (typeof config !== 'object' || config === null || !('mix' in config)) return null;
  const mix = (config as { mix: unknown }).mix;
  if (typeof mix !== 'object' || mix === null) return null;
  const { version, datasets } = mix as Partial<DatasetMix>;
  if (version !== 1 || !Array.isArray(datasets) || datasets.length < 2) return null;
  const valid = datasets.every(
    (d) => Number.isInteger(d?.datasetId) && typeof d?.name === 'string' && Number.isSafeInteger(d?.weight) && d.weight >= 1 && Number.isInteger(d?.pairs),
  );
  return valid ? (mix as DatasetMix) : null;
}

/** One line per dataset: "demo: 50.0% of pairs (asked 50.0%), 4,096 pairs from 160 sources". */
export function describeMix(mix: DatasetMix): string[] {
  const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
  return mix.datasets.map(
    (d) =>
      `${d.name} (${d.format}): ${percent(d.effective)} of pairs (asked ${percent(d.requested)}${mix.proportionsFrom === 'pairs' ? ', by pair count' : ''}), ` +
      `${d.pairs.toLocaleString('en-US')} pairs from ${d.pairSources.toLocaleString('en-US')} sources`,
  );
}
