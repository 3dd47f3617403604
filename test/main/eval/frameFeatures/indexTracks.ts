// In-memory feature tracks whose rows encode where they come from: row f of track k is [k·1000 + f, f, −f, …],
// so a read-back row names its track and frame.
import type { FrameReader } from '../../../../main/features/FeatureStore';
import type { SourceView } from '../../../../main/engine/sampling/sources';

export function indexRow(trackId: number, frame: number, dim: number): number[] {
  return Array.from({ length: dim }, (_, c) => (c === 0 ? trackId * 1000 + frame : c % 2 === 1 ? frame : -frame));
}

export class IndexTracks implements FrameReader {
  readonly reads: { trackId: number; start: number; end: number }[] = [];
  constructor(readonly dim: number) {}

  readFrames(trackId: number, start: number, end: number): Float32Array {
    this.reads.push({ trackId, start, end });
    const out = new Float32Array((end - start) * this.dim);
    for (let f = start; f < end; f++) out.set(indexRow(trackId, f, this.dim), (f - start) * this.dim);
    return out;
  }
}

export function view(trackId: number, syncOffsetFrames: number, frameCount: number, dim: number, role: 'ego' | 'exo' = 'ego'): SourceView {
  return { viewId: trackId, name: `view${trackId}`, role, syncOffsetFrames, frameCount, featureDim: dim, trackId };
}
