// The settings panel's methods: which TF.js backend this process trains with (loaded once, on first request, and
// remembered; a failure is not remembered, so a later request tries again), the named engine presets, and what
// "Pretrain & evaluate" runs with each (main/pipeline/settings.ts), with and without quick mode.
import type { ApiImpl, PresetInfo } from '../../contract/api';
import type { JsonValue } from '../../contract/schema';
import { ArgumentError } from '../../contract/errors';
import { loadBackend, type BackendReport } from '../../native/tfBackend';
import { runSamplingConfig } from '../engine/sampling/savedSampling';
import { presetNames, resolveConfig, type PresetName } from '../engine/config';
import { pipelineOutline, pipelineSettings } from '../pipeline/settings';
import type { ApiContext } from './apiContext';

type SettingsMethods = Pick<ApiImpl, 'backendInfo' | 'listPresets' | 'listPipelineOutlines'>;

const presetDescriptions: Record<PresetName, string> = {
  demo: 'Small encoder (2 blocks, width 64) and short runs: trains both steps on the demo dataset in minutes on a CPU.',
  paper: 'The published settings: 6 blocks of width 512, batches of 200 pairs and 64 groups, 2048-d input features.',
};

export function settingsApi(ctx: ApiContext): SettingsMethods {
  const load = ctx.loadBackend ?? (() => loadBackend());
  let report: Promise<BackendReport> | undefined;
  return {
    backendInfo: () => {
      report ??= load().catch((error: unknown) => {
        report = undefined;
        throw error;
      });
      return report;
    },
    listPresets: () =>
      presetNames.map(
        (name): PresetInfo => ({
          name,
          description: presetDescriptions[name],
          config: resolveConfig(name) as unknown as JsonValue,
          segHeads: pipelineSettings(name, false).segmentation.heads,
        }),
      ),
    listPipelineOutlines: ({ datasetId, samplingConfigId }) => {
      if ((datasetId === undefined) !== (samplingConfigId === undefined)) {
        throw new ArgumentError('samplingConfigId: a saved sampling config is named with its datasetId (both or neither)');
      }
      const saved = samplingConfigId === undefined ? undefined : runSamplingConfig(ctx.catalog, datasetId!, samplingConfigId).settings;
      return presetNames.flatMap((name) => [pipelineOutline(name, false, saved), pipelineOutline(name, true, saved)]);
    },
  };
}
