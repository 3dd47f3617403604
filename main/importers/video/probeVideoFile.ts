// What an importer needs to know about a video, read with ffprobe: container, codec, pixel format, size, frame
// rate, duration and (when the container says) frame count. Reads headers only (no packet counting), so probing
// thousands of videos stays cheap.
import { execFile } from 'node:child_process';
import { FfmpegError, ffprobePath } from '../../../native/ffmpeg';

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

interface ProbeJson {
  streams?: { codec_name?: string; pix_fmt?: string; width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; nb_frames?: string }[];
  format?: { format_name?: string; duration?: string };
}

function rate(text: string | undefined): number {
  const [num, den] = (text ?? '0/1').split('/').map(Number);
  return den ? (num ?? 0) / den : 0;
}

export async function probeVideoFile(file: string, signal?: AbortSignal): Promise<VideoFacts> {
  const args = [
    '-v', 'error', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,pix_fmt,width,height,avg_frame_rate,r_frame_rate,nb_frames:format=format_name,duration',
    '-of', 'json', file,
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(ffprobePath(), args, { maxBuffer: 1 << 20, signal }, (error, out, err) => {
      if (error) reject(new FfmpegError(`ffprobe failed on ${file}: ${String(err).trim() || error.message}`));
      else resolve(out);
    });
  });
  const parsed = JSON.parse(stdout) as ProbeJson;
  const stream = parsed.streams?.[0];
  if (!stream) throw new FfmpegError(`ffprobe found no video stream in ${file}`);
  const frames = Number(stream.nb_frames);
  return {
    file,
    container: parsed.format?.format_name ?? 'unknown',
    codec: stream.codec_name ?? 'unknown',
    pixelFormat: stream.pix_fmt ?? 'unknown',
    width: stream.width ?? 0,
    height: stream.height ?? 0,
    fps: rate(stream.avg_frame_rate) || rate(stream.r_frame_rate),
    durationS: Number(parsed.format?.duration ?? 0),
    frameCount: Number.isInteger(frames) && frames > 0 ? frames : null,
  };
}
