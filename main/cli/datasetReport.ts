// One dataset described for the CLI (`evgap info`, the summary after `evgap demo`): every scene with its views,
// tracks and segments, the runs (with the dataset mix of a step-1 run on several datasets, including such runs
// recorded under another of their datasets), and totals, as plain data (the --json output) and as readable text.
import type { DatasetMix, DatasetSummary, RunSummary, SceneSummary, SegmentInfo, TrackInfo, ViewInfo } from '../../contract/api';
import { NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { describeMix, storedMix } from '../engine/training/datasetMix';
import { windowCount, type FeatureWindows } from '../features/featureWindows';
import { formatRunList } from './runList';

export interface DatasetReport {
  dataset: DatasetSummary;
  totals: {
    scenes: number;
    views: { ego: number; exo: number };
    tracks: number;
    /** Feature frames over all tracks. */
    frames: number;
    segments: number;
    runs: number;
  };
  scenes: (SceneSummary & { views: ViewInfo[]; segments: SegmentInfo[] })[];
  /** The dataset's runs and the step-1 runs that mix it with others; `mix` null for a run on one dataset. */
  runs: (RunSummary & { mix: DatasetMix | null })[];
}

/** By name first, then, for a number, by id. */
export function findDataset(catalog: Catalog, nameOrId: string): DatasetSummary {
  const byName = catalog.findDatasetByName(nameOrId);
  if (byName) return byName;
  if (/^[1-9]\d*$/.test(nameOrId)) {
    const byId = catalog.listDatasets().find((dataset) => dataset.id === Number(nameOrId));
    if (byId) return byId;
  }
  throw new NotFoundError(`no dataset named ${JSON.stringify(nameOrId)}${/^\d+$/.test(nameOrId) ? ' or with that id' : ''} (see \`evgap datasets\`)`);
}

export function datasetReport(catalog: Catalog, datasetId: number): DatasetReport {
  const detail = catalog.getDataset(datasetId);
  const scenes = detail.scenes.map((summary) => {
    const scene = catalog.getScene(summary.id);
    return { ...summary, views: scene.views, segments: scene.segments };
  });
  const views = scenes.flatMap((scene) => scene.views);
  const withMix = (run: RunSummary) => ({ ...run, mix: storedMix(catalog.getRun(run.id).config) });
  const mixedIn = catalog
    .listRuns()
    .filter((run) => run.datasetId !== datasetId && run.kind === 'pretrain-step1')
    .map(withMix)
    .filter((run) => run.mix?.datasets.some((d) => d.datasetId === datasetId));
  const runs = [...detail.runs.map(withMix), ...mixedIn].sort((a, b) => a.id - b.id);
  return {
    dataset: detail.dataset,
    totals: {
      scenes: scenes.length,
      views: { ego: views.filter((v) => v.role === 'ego').length, exo: views.filter((v) => v.role === 'exo').length },
      tracks: views.filter((v) => v.track !== null).length,
      frames: views.reduce((sum, v) => sum + (v.track?.frameCount ?? 0), 0),
      segments: scenes.reduce((sum, scene) => sum + scene.segments.length, 0),
      runs: runs.length,
    },
    scenes,
    runs,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatTotals(report: DatasetReport): string {
  const { totals } = report;
  return [
    plural(totals.scenes, 'scene'),
    `${plural(totals.views.ego + totals.views.exo, 'view')} (${totals.views.ego} ego, ${totals.views.exo} exo)`,
    plural(totals.tracks, 'track'),
    `${totals.frames.toLocaleString('en-US')} frames`,
    plural(totals.segments, 'segment'),
    plural(totals.runs, 'run'),
  ].join(', ');
}

/** `1 feature per 16 frames over 32 (1.875/s, 200 features)` for a windowed track. */
function formatWindows(track: TrackInfo, windows: FeatureWindows): string {
  const rate = track.featureFps !== null ? `${Number((track.featureFps / windows.strideFrames).toFixed(4))}/s, ` : '';
  const count = track.frameCount !== null ? `${windowCount(track.frameCount, windows)} features` : '? features';
  return `1 feature per ${windows.strideFrames} frames over ${windows.windowFrames} (${rate}${count})`;
}

function formatView(view: ViewInfo): string {
  const offset = view.syncOffsetFrames >= 0 ? `+${view.syncOffsetFrames}` : String(view.syncOffsetFrames);
  const parts = [`${view.role.padEnd(3)} ${view.name}`, `offset ${offset}`];
  const track = view.track;
  if (!track) parts.push('no track');
  else {
    if (track.featurePath) {
      parts.push(`features ${track.frameCount ?? '?'} frames × ${track.featureDim ?? '?'}-d @ ${track.featureFps ?? '?'} fps`);
      if (track.featureStrideFrames !== null && track.featureWindowFrames !== null) {
        parts.push(formatWindows(track, { strideFrames: track.featureStrideFrames, windowFrames: track.featureWindowFrames }));
      }
    }
    if (track.videoPath) {
      const size = track.videoWidth && track.videoHeight ? `${track.videoWidth}×${track.videoHeight} ` : '';
      const duration = track.videoDurationS !== null ? `${track.videoDurationS.toFixed(1)} s` : '? s';
      parts.push(`video ${size}${duration}`);
    }
  }
  return parts.join(', ');
}

export function formatReport(report: DatasetReport): string[] {
  const { dataset } = report;
  const lines = [
    `Dataset ${dataset.name} (id ${dataset.id}, format ${dataset.format})`,
    `  root:    ${dataset.root}`,
    `  created: ${dataset.createdAt}`,
    `  ${formatTotals(report)}`,
    '',
    'Scenes:',
  ];
  for (const scene of report.scenes) {
    lines.push(
      `  ${scene.name} (id ${scene.id}): ${scene.egoCount} ego + ${scene.exoCount} exo, ${scene.durationS.toFixed(1)} s, ` +
        plural(scene.segments.length, 'segment'),
    );
    for (const view of scene.views) lines.push(`    ${formatView(view)}`);
  }
  if (report.scenes.length === 0) lines.push('  (none)');
  lines.push('', 'Runs:');
  // Oldest first, a pipeline's runs under it (with their names and tags, as `evgap runs` lists them), then each
  // mixed run's datasets.
  lines.push(...formatRunList(report.runs, '  '));
  for (const run of report.runs) {
    if (run.mix) {
      lines.push(`  #${run.id}: step 1 on ${run.mix.datasets.length} datasets, ${run.mix.batches} batches:`);
      for (const line of describeMix(run.mix)) lines.push(`      ${line}`);
    }
  }
  if (report.runs.length === 0) lines.push('  (none)');
  return lines;
}
