// Assembly101's coarse label format, one segment per line: `start_frame end_frame label`, frames zero-padded to 9
// digits on writing (e.g. `000006833 000007554 attempt to screw chassis`), any whitespace between fields and any
// number of digits on reading; segments are half-open [start, end). Empty lines are skipped. Read line by line
// (formats/textLines.ts), from a file (the Assembly101 importer) or from text (the annotation editor's import);
// parse errors name the line.
import type { SegmentInfo } from '../../contract/api';
import { ArgumentError } from '../../contract/errors';
import { textLines, type TextLine } from '../formats/textLines';
import type { LocatedSegment } from './segmentRules';

const frame9 = (frame: number) => String(frame).padStart(9, '0');

export function formatCoarseLabels(segments: readonly Pick<SegmentInfo, 'startFrame' | 'endFrame' | 'label'>[]): string {
  return segments.map((s) => `${frame9(s.startFrame)} ${frame9(s.endFrame)} ${s.label}\n`).join('');
}

export interface CoarseLabelLine {
  /** 1-based line number. */
  line: number;
  startFrame: number;
  endFrame: number;
  label: string;
}

/** The entries of coarse label lines; a line that is not `start_frame end_frame label` goes to `fail`. */
export function* coarseLabelLines(
  lines: Iterable<TextLine>,
  fail: (line: number, problem: string) => never,
): Generator<CoarseLabelLine, void, undefined> {
  for (const { text, line } of lines) {
    if (text.trim() === '') continue;
    const match = /^\s*(\d{1,15})\s+(\d{1,15})\s+(\S.*?)\s*$/.exec(text);
    if (!match) fail(line, `expected "start_frame end_frame label", got ${JSON.stringify(text.slice(0, 80))}`);
    yield { line, startFrame: Number(match[1]), endFrame: Number(match[2]), label: match[3]! };
  }
}

/** The segments of a coarse label file's text (source 'imported'); `where` names the text in errors. */
export function parseCoarseLabels(text: string, where = 'text'): LocatedSegment[] {
  const fail = (line: number, problem: string): never => {
    throw new ArgumentError(`${where} line ${line}: ${problem}`);
  };
  return [...coarseLabelLines(textLines(text, where), fail)].map(({ line, startFrame, endFrame, label }) => ({
    where: `${where} line ${line}`,
    segment: { startFrame, endFrame, label, verb: null, object: null, source: 'imported' },
  }));
}
