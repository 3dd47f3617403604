// What an importer needs to know about a video, read with ffprobe: container, codec, pixel format, size, frame
// rate, duration and (when the container says) frame count. Reads headers only (no packet counting), so probing
// thousands of videos stays cheap. ffprobe runs as a child process (native/ffmpeg.ts runFfprobe): a crash, hang or
// garbage output becomes an FfmpegError naming the video.
import { FfmpegError, runFfprobe } from '../../../native/ffmpeg';

export interface VideoFacts {
  file: string;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  container: string;
  codec: string;
  pixelFormat: string;
  width: number;
  height: number;
  fps: number;
  durationS: number;
  frameCount: number | null;
}

/** A field of ffprobe's JSON as a string (its numbers come as strings too), or undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A finite number >= 0 from a field, or `fallback`. */
function amount(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : Number(text(value) ?? NaN);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function rate(value: unknown): number {
  const [num, den] = (text(value) ?? '0/1').split('/').map(Number);
  const fps = den ? (num ?? 0) / den : 0;
  return Number.isFinite(fps) && fps > 0 ? fps : 0;
}

export async function probeVideoFile(file: string, signal?: AbortSignal): Promise<VideoFacts> {
  const args = [
    '-v', 'error', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,pix_fmt,width,height,avg_frame_rate,r_frame_rate,nb_frames:format=format_name,duration',
    '-of', 'json', file,
  ];
  const parsed = await runFfprobe(file, args, { signal });
  const streams = parsed.streams;
  if (!Array.isArray(streams) || streams.length === 0) throw new FfmpegError(`ffprobe found no video stream in ${file}`);
  const stream = record(streams[0]);
  const format = record(parsed.format);
  const frames = amount(stream.nb_frames, 0);
  return {
    file,
    container: text(format.format_name) ?? 'unknown',
    codec: text(stream.codec_name) ?? 'unknown',
    pixelFormat: text(stream.pix_fmt) ?? 'unknown',
    width: Math.round(amount(stream.width, 0)),
    height: Math.round(amount(stream.height, 0)),
    fps: rate(stream.avg_frame_rate) || rate(stream.r_frame_rate),
    durationS: amount(format.duration, 0),
    frameCount: Number.isInteger(frames) && frames > 0 ? frames : null,
  };
}
