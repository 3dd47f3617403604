// MS-TCN's per-frame label format: one label per line, one line per frame from frame 0. Writing covers the scene's
// frames (or up to the last segment's end when they are unknown) and labels frames outside every segment
// MSTCN_BACKGROUND; reading turns runs of equal labels into segments and drops background runs. So a round trip
// keeps a segment list unchanged unless two touching segments share a label (they merge) or a segment is itself
// labelled 'background' (it is dropped). Where segments overlap on writing, the later one wins.
//
// Reading is line by line (formats/textLines.ts) and shared with the segmentation metrics' label files
// (eval/segmentation/labelFiles.ts): lines are trimmed, empty lines may only close the file, and a file may hold
// at most MAX_LABEL_FRAMES frames, so a huge file fails fast instead of filling memory.
import type { SegmentInfo } from '../../contract/api';
import { ArgumentError } from '../../contract/errors';
import { textLines, type TextLine } from '../formats/textLines';
import type { LocatedSegment } from './segmentRules';

/** The label of frames that no segment covers (as MS-TCN's Breakfast/50Salads files and main/export write them). */
export const MSTCN_BACKGROUND = 'background';
/** Most frames one label file may hold: 10 million (over 90 hours at 30 fps). */
export const MAX_LABEL_FRAMES = 10_000_000;

export function formatMstcnLabels(segments: readonly Pick<SegmentInfo, 'startFrame' | 'endFrame' | 'label'>[], frameCount: number | null): string {
  const frames = frameCount ?? Math.max(0, ...segments.map((s) => s.endFrame));
  const labels = new Array<string>(frames).fill(MSTCN_BACKGROUND);
  for (const segment of segments) {
    for (let t = segment.startFrame; t < Math.min(frames, segment.endFrame); t++) labels[t] = segment.label;
  }
  return labels.map((label) => `${label}\n`).join('');
}

/**
 * The label of every frame (frame t is line t + 1), each distinct label one shared string. An empty line before
 * the last label, or more than `maxFrames` frames, goes to `fail` with its line.
 */
export function frameLabels(
  lines: Iterable<TextLine>,
  fail: (line: number, problem: string) => never,
  maxFrames = MAX_LABEL_FRAMES,
): string[] {
  const labels: string[] = [];
  const distinct = new Map<string, string>();
  let emptyLine: number | undefined;
  for (const { text, line } of lines) {
    const label = text.trim();
    if (label === '') {
      emptyLine ??= line;
      continue;
    }
    if (emptyLine !== undefined) fail(emptyLine, 'empty line before the last label (expected one label per line, one line per frame)');
    if (labels.length === maxFrames) fail(line, `more than ${maxFrames} frames (expected one label per frame of one video)`);
    let shared = distinct.get(label);
    if (shared === undefined) distinct.set(label, (shared = label));
    labels.push(shared);
  }
  return labels;
}

/** The segments of a per-frame label text (source 'imported'); `where` names the text in errors. */
export function parseMstcnLabels(text: string, where = 'text'): LocatedSegment[] {
  const fail = (line: number, problem: string): never => {
    throw new ArgumentError(`${where} line ${line}: ${problem}`);
  };
  const labels = frameLabels(textLines(text, where), fail);
  const segments: LocatedSegment[] = [];
  let runStart = 0;
  for (let frame = 1; frame <= labels.length; frame++) {
    if (frame < labels.length && labels[frame] === labels[runStart]) continue;
    const runLabel = labels[runStart]!;
    if (runLabel !== MSTCN_BACKGROUND) {
      segments.push({
        where: `${where} lines ${runStart + 1}-${frame}`,
        segment: { startFrame: runStart, endFrame: frame, label: runLabel, verb: null, object: null, source: 'imported' },
      });
    }
    runStart = frame;
  }
  return segments;
}
