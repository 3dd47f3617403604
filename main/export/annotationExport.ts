// Exports a dataset's segments in two formats TAS code reads:
// - Assembly101 coarse: one file per video, `start_frame end_frame action` per line, frames zero-padded to 9
//   digits, half-open. A scene whose meta has `coarseRanges` (Assembly101 recordings) is written as its
//   `assembly_<scene>.txt` and `disassembly_<scene>.txt` again, each with the segments inside its range.
// - MS-TCN: `groundTruth/<video>.txt` with one label per frame and `mapping.txt` (`index label`, the dataset's
//   action vocabulary order), frames not covered by a segment labelled `background`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SegmentInfo } from '../../contract/api';
import type { Catalog } from '../catalog/Catalog';
import { withCatalogReader } from './catalogReader';

export const MSTCN_BACKGROUND = 'background';

interface ExportVideo {
  name: string;
  /** Frames [start, end) of the scene that this video covers. */
  start: number;
  end: number;
  segments: SegmentInfo[];
}

function coarseRanges(meta: Record<string, unknown>): [string, [number, number]][] {
  const ranges = meta.coarseRanges;
  if (typeof ranges !== 'object' || ranges === null) return [];
  return Object.entries(ranges as Record<string, unknown>).filter(
    (entry): entry is [string, [number, number]] => Array.isArray(entry[1]) && entry[1].length === 2 && entry[1].every(Number.isInteger),
  );
}

/** Every exported video of the dataset: one per scene, or one per coarse part of an Assembly101 recording. */
export function exportVideos(catalog: Catalog, datasetId: number): ExportVideo[] {
  const scenes = catalog.listScenes(datasetId);
  return withCatalogReader(catalog.file, (reader) =>
    scenes.flatMap((summary) => {
      const detail = catalog.getScene(summary.id);
      const ranges = coarseRanges(reader.sceneMeta(summary.id));
      if (ranges.length > 0) {
        return ranges.map(([part, [start, end]]) => ({
          name: `${part}_${summary.name}`,
          start,
          end,
          segments: detail.segments.filter((s) => s.startFrame >= start && s.endFrame <= end),
        }));
      }
      const trackFrames = detail.views.map((v) => v.track?.frameCount ?? 0);
      const end = Math.max(0, ...trackFrames, ...detail.segments.map((s) => s.endFrame));
      return [{ name: summary.name, start: 0, end, segments: detail.segments }];
    }),
  );
}

const frame9 = (n: number) => String(n).padStart(9, '0');

export function formatCoarseLabels(segments: readonly SegmentInfo[]): string {
  return segments.map((s) => `${frame9(s.startFrame)} ${frame9(s.endFrame)} ${s.label}\n`).join('');
}

/** One label per frame of [start, end); later segments win where segments overlap. */
export function perFrameLabels(video: Pick<ExportVideo, 'start' | 'end' | 'segments'>, background = MSTCN_BACKGROUND): string[] {
  const labels = new Array<string>(Math.max(0, video.end - video.start)).fill(background);
  for (const segment of video.segments) {
    for (let f = Math.max(segment.startFrame, video.start); f < Math.min(segment.endFrame, video.end); f++) labels[f - video.start] = segment.label;
  }
  return labels;
}

/** Writes `<out>/<video>.txt` in the Assembly101 coarse format; returns the files written. */
export function exportCoarseLabels(catalog: Catalog, datasetId: number, out: string): string[] {
  mkdirSync(out, { recursive: true });
  return exportVideos(catalog, datasetId).map((video) => {
    const file = join(out, `${video.name}.txt`);
    writeFileSync(file, formatCoarseLabels(video.segments));
    return file;
  });
}

/** Writes `<out>/groundTruth/<video>.txt` and `<out>/mapping.txt`; returns the files written. */
export function exportMsTcn(catalog: Catalog, datasetId: number, out: string, background = MSTCN_BACKGROUND): string[] {
  const groundTruth = join(out, 'groundTruth');
  mkdirSync(groundTruth, { recursive: true });
  const videos = exportVideos(catalog, datasetId);
  const classes = catalog.listVocabulary(datasetId).map((l) => l.label);
  const needsBackground = videos.some((v) => perFrameLabels(v, background).includes(background)) && !classes.includes(background);
  const mapping = needsBackground ? [...classes, background] : classes;
  const mappingFile = join(out, 'mapping.txt');
  writeFileSync(mappingFile, mapping.map((label, i) => `${i} ${label}\n`).join(''));
  const files = videos.map((video) => {
    const file = join(groundTruth, `${video.name}.txt`);
    writeFileSync(file, perFrameLabels(video, background).map((l) => `${l}\n`).join(''));
    return file;
  });
  return [mappingFile, ...files];
}
