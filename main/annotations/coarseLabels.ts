// Assembly101's coarse label format, one segment per line: `start_frame end_frame label`, frames zero-padded to 9
// digits on writing (e.g. `000006833 000007554 attempt to screw chassis`), any whitespace between fields and any
// number of digits on reading; segments are half-open [start, end). Empty lines are skipped. Parse errors name the line.
import type { SegmentInfo } from '../../contract/api';
import { ArgumentError } from '../../contract/errors';
import type { LocatedSegment } from './segmentRules';

const frame9 = (frame: number) => String(frame).padStart(9, '0');

export function formatCoarseLabels(segments: readonly Pick<SegmentInfo, 'startFrame' | 'endFrame' | 'label'>[]): string {
  return segments.map((s) => `${frame9(s.startFrame)} ${frame9(s.endFrame)} ${s.label}\n`).join('');
}

/** The segments of a coarse label file's text (source 'imported'); `where` names the text in errors. */
export function parseCoarseLabels(text: string, where = 'text'): LocatedSegment[] {
  const segments: LocatedSegment[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const at = `${where} line ${index + 1}`;
    const match = /^\s*(\d+)\s+(\d+)\s+(\S.*?)\s*$/.exec(line);
    if (!match) throw new ArgumentError(`${at}: expected "start_frame end_frame label", got ${JSON.stringify(line.slice(0, 80))}`);
    segments.push({
      where: at,
      segment: { startFrame: Number(match[1]), endFrame: Number(match[2]), label: match[3]!, verb: null, object: null, source: 'imported' },
    });
  });
  return segments;
}
