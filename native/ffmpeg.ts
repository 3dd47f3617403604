// The ffmpeg boundary: where the bundled ffmpeg/ffprobe binaries are (@ffmpeg-installer, @ffprobe-installer),
// an encoder that turns raw RGB frames piped to ffmpeg's stdin into a browser-playable video, and a probe that
// reads a video's codec, size, frame count and duration with ffprobe.
import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { sep } from 'node:path';

/** A bundled binary is missing (package not installed, or no build for this platform). */
export class FfmpegMissingError extends Error {
  override name = 'FfmpegMissingError';
}

/** ffmpeg or ffprobe ran but failed; the message carries the end of its stderr. */
export class FfmpegError extends Error {
  override name = 'FfmpegError';
}

const requireFromHere = createRequire(import.meta.url);

function installedBinary(packageName: string): string {
  let path: unknown;
  try {
    path = (requireFromHere(packageName) as { path?: unknown }).path;
  } catch (error) {
    // The installer packages throw plain strings when their platform build is absent.
    const reason = error instanceof Error ? error.message : String(error);
    throw new FfmpegMissingError(`${packageName} is not usable on ${process.platform}-${process.arch}: ${reason}`);
  }
  if (typeof path !== 'string') throw new FfmpegMissingError(`${packageName} did not report a binary path`);
  // Inside a packaged Electron app the binary lives next to the archive, not inside it.
  return path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}

export const ffmpegPath = (): string => installedBinary('@ffmpeg-installer/ffmpeg');
export const ffprobePath = (): string => installedBinary('@ffprobe-installer/ffprobe');

export type VideoCodec = 'vp9' | 'h264';

/** File extension that goes with each codec's container. */
export const videoExtension: Record<VideoCodec, string> = { vp9: 'webm', h264: 'mp4' };

export interface EncodeVideoOptions {
  /** Output file; its container follows the codec (.webm for vp9, .mp4 for h264). */
  file: string;
  width: number;
  height: number;
  fps: number;
  /** Default 'vp9' (WebM): fast enough with the realtime settings at small sizes, and royalty-free. */
  codec?: VideoCodec;
}

export interface VideoEncoder {
  /** Queues one width*height*3 rgb24 frame; resolves once ffmpeg can take more (backpressure). */
  writeFrame(rgb: Uint8Array): Promise<void>;
  /** Closes stdin and waits for ffmpeg to finish the file. */
  finish(): Promise<void>;
  /** Kills ffmpeg and removes the partial output. */
  abort(): void;
}

function codecArguments(codec: VideoCodec, fps: number): string[] {
  // A keyframe every second keeps seeking to any frame cheap in the browser.
  const keyframes = ['-g', String(Math.max(1, Math.round(fps))), '-keyint_min', String(Math.max(1, Math.round(fps)))];
  if (codec === 'vp9') {
    return ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-b:v', '0', '-crf', '36', ...keyframes, '-pix_fmt', 'yuv420p', '-f', 'webm'];
  }
  return ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '26', ...keyframes, '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4'];
}

/** Starts ffmpeg reading rgb24 frames from stdin and writing `options.file`. */
export function encodeVideo(options: EncodeVideoOptions): VideoEncoder {
  const { file, width, height, fps, codec = 'vp9' } = options;
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    // yuv420p needs even sizes.
    if (!Number.isInteger(value) || value < 2 || value % 2 !== 0) {
      throw new RangeError(`encodeVideo: expected ${name} an even integer >= 2, got ${value}`);
    }
  }
  if (!(fps > 0)) throw new RangeError(`encodeVideo: expected fps > 0, got ${fps}`);
  const frameBytes = width * height * 3;
  const args = [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0',
    '-an', ...codecArguments(codec, fps), file,
  ];
  const child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let failure: Error | null = null;
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => {
      failure = new FfmpegError(`ffmpeg could not start for ${file}: ${error.message}`);
      reject(failure);
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      failure = new FfmpegError(`ffmpeg failed writing ${file} (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no output'}`);
      reject(failure);
    });
  });
  // Failures surface through writeFrame/finish; keep the stream error and an early rejection from going unhandled.
  exited.catch(() => undefined);
  child.stdin.on('error', () => undefined);

  return {
    async writeFrame(rgb) {
      if (rgb.length !== frameBytes) {
        throw new RangeError(`encodeVideo ${file}: expected a frame of ${frameBytes} bytes (${width}x${height} rgb24), got ${rgb.length}`);
      }
      if (failure) throw failure;
      // Copied: a written chunk stays queued until flushed, and callers reuse their frame buffer.
      if (!child.stdin.write(Buffer.from(rgb))) {
        await new Promise<void>((resolve) => {
          const done = () => {
            child.stdin.off('drain', done);
            child.off('close', done);
            resolve();
          };
          child.stdin.on('drain', done);
          child.on('close', done);
        });
      }
      if (failure) throw failure;
    },
    async finish() {
      child.stdin.end();
      await exited;
    },
    abort() {
      child.kill('SIGKILL');
      rmSync(file, { force: true });
    },
  };
}

export interface VideoProbe {
  codec: string;
  width: number;
  height: number;
  /** Video packets counted by ffprobe (one per frame for these codecs). */
  frameCount: number;
  durationS: number;
  fps: number;
}

/** Codec, size, frame count, duration and frame rate of the first video stream of `file`. */
export async function probeVideo(file: string): Promise<VideoProbe> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries',
    'stream=codec_name,width,height,nb_read_packets,r_frame_rate:format=duration', '-of', 'json', file];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(ffprobePath(), args, { maxBuffer: 1 << 20 }, (error, out, err) => {
      if (error) reject(new FfmpegError(`ffprobe failed on ${file}: ${String(err).trim() || error.message}`));
      else resolve(out);
    });
  });
  const parsed = JSON.parse(stdout) as {
    streams?: { codec_name?: string; width?: number; height?: number; nb_read_packets?: string; r_frame_rate?: string }[];
    format?: { duration?: string };
  };
  const stream = parsed.streams?.[0];
  if (!stream) throw new FfmpegError(`ffprobe found no video stream in ${file}`);
  const [num, den] = (stream.r_frame_rate ?? '0/1').split('/').map(Number);
  return {
    codec: stream.codec_name ?? 'unknown',
    width: stream.width ?? 0,
    height: stream.height ?? 0,
    frameCount: Number(stream.nb_read_packets ?? 0),
    durationS: Number(parsed.format?.duration ?? 0),
    fps: den ? (num ?? 0) / den : 0,
  };
}
