// MS-TCN's per-frame label format: one label per line, one line per frame from frame 0. Writing covers the scene's
// frames (or up to the last segment's end when they are unknown) and labels frames outside every segment
// MSTCN_BACKGROUND; reading turns runs of equal labels into segments and drops background runs. So a round trip
// keeps a segment list unchanged unless two touching segments share a label (they merge) or a segment is itself
// labelled 'background' (it is dropped). Where segments overlap on writing, the later one wins.
import type { SegmentInfo } from '../../contract/api';
import { ArgumentError } from '../../contract/errors';
import type { LocatedSegment } from './segmentRules';

/** The label of frames that no segment covers (as MS-TCN's Breakfast/50Salads files and main/export write them). */
export const MSTCN_BACKGROUND = 'background';

export function formatMstcnLabels(segments: readonly Pick<SegmentInfo, 'startFrame' | 'endFrame' | 'label'>[], frameCount: number | null): string {
  const frames = frameCount ?? Math.max(0, ...segments.map((s) => s.endFrame));
  const labels = new Array<string>(frames).fill(MSTCN_BACKGROUND);
  for (const segment of segments) {
    for (let t = segment.startFrame; t < Math.min(frames, segment.endFrame); t++) labels[t] = segment.label;
  }
  return labels.map((label) => `${label}\n`).join('');
}

/** The segments of a per-frame label text (source 'imported'); `where` names the text in errors. */
export function parseMstcnLabels(text: string, where = 'text'): LocatedSegment[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const segments: LocatedSegment[] = [];
  let runStart = 0;
  for (let frame = 0; frame <= lines.length; frame++) {
    const label = lines[frame];
    if (label === '') throw new ArgumentError(`${where} line ${frame + 1}: expected a label (one per frame), got an empty line`);
    if (frame < lines.length && label === lines[runStart]) continue;
    const runLabel = lines[runStart];
    if (runLabel !== undefined && runLabel !== MSTCN_BACKGROUND) {
      segments.push({
        where: `${where} lines ${runStart + 1}-${frame}`,
        segment: { startFrame: runStart, endFrame: frame, label: runLabel, verb: null, object: null, source: 'imported' },
      });
    }
    runStart = frame;
  }
  return segments;
}
