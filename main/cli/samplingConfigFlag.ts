// `--sampling-config NAME` of `evgap pretrain` and `evgap pipeline`: one of the dataset's saved sampling configs
// (the Sampling panel's "Save as sampling config"), by name, as a run stores and applies it.
import type { RunSamplingConfig } from '../../contract/api';
import { NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { runSamplingConfig } from '../engine/sampling/savedSampling';
import { findDataset } from './datasetReport';

export function samplingConfigFlag(catalog: Catalog, datasetName: string, configName: string): RunSamplingConfig {
  const dataset = findDataset(catalog, datasetName);
  const saved = catalog.listSamplingConfigs(dataset.id);
  const found = saved.find((config) => config.name === configName);
  if (found === undefined) {
    const names = saved.map((config) => JSON.stringify(config.name)).join(', ') || 'none';
    throw new NotFoundError(`--sampling-config: dataset ${dataset.name} has no saved sampling config named ${JSON.stringify(configName)} (saved: ${names})`);
  }
  return runSamplingConfig(catalog, dataset.id, found.id, '--sampling-config');
}
