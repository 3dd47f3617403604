// The ffmpeg boundary: where the bundled ffmpeg/ffprobe binaries are (@ffmpeg-installer, @ffprobe-installer; the
// EVGAP_FFMPEG / EVGAP_FFPROBE environment variables name others), an encoder that turns raw RGB frames piped to
// ffmpeg's stdin into a browser-playable video, and ffprobe runs that read a video's codec, size, frame count and
// duration. ffprobe is the one native parser of untrusted dataset files left in the app, and it runs as a child
// process: whatever happens inside it (a crash on a hostile file, a hang, garbage on stdout) comes back as an
// FfmpegError naming the video, never takes the app down.
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

/** Environment variables that point the app at another ffmpeg / ffprobe than the bundled one (a system build). */
export const FFMPEG_ENV = 'EVGAP_FFMPEG';
export const FFPROBE_ENV = 'EVGAP_FFPROBE';

function binary(env: string, packageName: string): string {
  const override = process.env[env];
  return override !== undefined && override !== '' ? override : installedBinary(packageName);
}

export const ffmpegPath = (): string => binary(FFMPEG_ENV, '@ffmpeg-installer/ffmpeg');
export const ffprobePath = (): string => binary(FFPROBE_ENV, '@ffprobe-installer/ffprobe');

/** How long one ffprobe run may take; it reads headers only, so this is generous even on a network mount. */
export const FFPROBE_TIMEOUT_MS = 60_000;
/** Most bytes of JSON one ffprobe run may print. */
const FFPROBE_MAX_OUTPUT = 1 << 20;

/**
 * Runs ffprobe with `args` (ending with `file`, which it reads) and returns its JSON output as an object. Every way
 * it can fail becomes an FfmpegError naming `file`: it cannot start, exits with an error, is killed by a signal
 * (a crash: SIGSEGV, SIGBUS, SIGABRT), runs past the time limit, prints too much, or prints something that is not
 * a JSON object. Cancelled through `signal`, it rejects with the AbortError execFile gives.
 */
export function runFfprobe(
  file: string,
  args: string[],
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<Record<string, unknown>> {
  const { signal, timeoutMs = FFPROBE_TIMEOUT_MS } = options;
  const command = ffprobePath();
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: FFPROBE_MAX_OUTPUT, timeout: timeoutMs, killSignal: 'SIGKILL', signal }, (error, out, err) => {
      if (error) {
        if (signal?.aborted) return reject(error);
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null; code?: unknown };
        const stderr = String(err).trim().slice(-2000);
        if (typeof failure.code === 'string' && failure.code === 'ENOENT') {
          return reject(new FfmpegMissingError(`ffprobe could not start for ${file}: no executable at ${command}`));
        }
        if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(new FfmpegError(`ffprobe printed more than ${FFPROBE_MAX_OUTPUT} bytes for ${file}: expected a short JSON description`));
        }
        if (failure.killed && failure.signal === 'SIGKILL') {
          return reject(new FfmpegError(`ffprobe did not finish reading ${file} within ${timeoutMs / 1000} s; stopped it`));
        }
        if (failure.signal) {
          return reject(new FfmpegError(`ffprobe crashed (killed by ${failure.signal}) while reading ${file}${stderr ? `: ${stderr}` : ''}; the file may be corrupt`));
        }
        return reject(new FfmpegError(`ffprobe could not read ${file}: ${stderr || error.message}`));
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(out);
      } catch {
        return reject(new FfmpegError(`ffprobe gave output that is not JSON for ${file}: ${JSON.stringify(out.slice(0, 80))}`));
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return reject(new FfmpegError(`ffprobe gave output that is not a JSON object for ${file}: ${JSON.stringify(out.slice(0, 80))}`));
      }
      resolve(parsed as Record<string, unknown>);
    });
  });
}

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
  const parsed = (await runFfprobe(file, args)) as {
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
