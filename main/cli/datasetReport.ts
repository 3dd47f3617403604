// One dataset described for the CLI (`evgap info`, the summary after `evgap demo`): every scene with its views,
// tracks and segments, the runs, and totals, as plain data (the --json output) and as readable text.
import type { DatasetSummary, RunSummary, SceneSummary, SegmentInfo, ViewInfo } from '../../contract/api';
import { NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';

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
  runs: RunSummary[];
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
  return {
    dataset: detail.dataset,
    totals: {
      scenes: scenes.length,
      views: { ego: views.filter((v) => v.role === 'ego').length, exo: views.filter((v) => v.role === 'exo').length },
      tracks: views.filter((v) => v.track !== null).length,
      frames: views.reduce((sum, v) => sum + (v.track?.frameCount ?? 0), 0),
      segments: scenes.reduce((sum, scene) => sum + scene.segments.length, 0),
      runs: detail.runs.length,
    },
    scenes,
    runs: detail.runs,
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

function formatView(view: ViewInfo): string {
  const offset = view.syncOffsetFrames >= 0 ? `+${view.syncOffsetFrames}` : String(view.syncOffsetFrames);
  const parts = [`${view.role.padEnd(3)} ${view.name}`, `offset ${offset}`];
  const track = view.track;
  if (!track) parts.push('no track');
  else {
    if (track.featurePath) {
      parts.push(`features ${track.frameCount ?? '?'} frames × ${track.featureDim ?? '?'}-d @ ${track.featureFps ?? '?'} fps`);
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
  for (const run of report.runs) {
    lines.push(
      `  #${run.id} ${run.kind} ${run.status}` +
        (run.backend ? `, backend ${run.backend}` : '') +
        (run.seed !== null ? `, seed ${run.seed}` : '') +
        (run.startedAt ? `, started ${run.startedAt}` : ''),
    );
  }
  if (report.runs.length === 0) lines.push('  (none)');
  return lines;
}
