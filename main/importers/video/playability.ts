// Whether a browser (Chromium, as in Electron) plays a video as it is: H.264, VP8, VP9 or AV1 in MP4 or WebM,
// in a pixel format its decoders take (8-bit 4:2:0; 10-bit 4:2:0 for VP9/AV1). Anything else gets an offered
// proxy transcode. The container is judged by ffprobe's format name and the file extension together, because
// ffprobe names MOV and MP4 alike, and Matroska and WebM alike.
import { extname } from 'node:path';
import type { VideoFacts } from './probeVideoFile';

export type Playability = { playable: true } | { playable: false; reasons: string[] };

const CODECS_BY_CONTAINER: Record<'mp4' | 'webm', readonly string[]> = {
  mp4: ['h264', 'vp9', 'av1'],
  webm: ['vp8', 'vp9', 'av1'],
};
const EIGHT_BIT_420 = ['yuv420p', 'yuvj420p'];
const TEN_BIT_420 = ['yuv420p10le'];

function containerOf(facts: VideoFacts): 'mp4' | 'webm' | undefined {
  const ext = extname(facts.file).toLowerCase();
  if (facts.container.includes('mp4') && (ext === '.mp4' || ext === '.m4v')) return 'mp4';
  if (facts.container.includes('webm') && ext === '.webm') return 'webm';
  return undefined;
}

export function browserPlayability(facts: VideoFacts): Playability {
  const reasons: string[] = [];
  const container = containerOf(facts);
  if (!container) reasons.push(`container ${facts.container} (${extname(facts.file) || 'no extension'}) is not MP4 or WebM`);
  else if (!CODECS_BY_CONTAINER[container].includes(facts.codec)) {
    reasons.push(`codec ${facts.codec} does not play in ${container} (expected ${CODECS_BY_CONTAINER[container].join(', ')})`);
  }
  if (!container && !Object.values(CODECS_BY_CONTAINER).some((codecs) => codecs.includes(facts.codec))) {
    reasons.push(`codec ${facts.codec} is not H.264, VP8, VP9 or AV1`);
  }
  const formats = facts.codec === 'vp9' || facts.codec === 'av1' ? [...EIGHT_BIT_420, ...TEN_BIT_420] : EIGHT_BIT_420;
  if (!formats.includes(facts.pixelFormat)) reasons.push(`pixel format ${facts.pixelFormat} (expected ${formats.join(' or ')})`);
  return reasons.length === 0 ? { playable: true } : { playable: false, reasons };
}
