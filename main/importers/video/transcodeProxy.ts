// Transcodes a video a browser cannot play into a playable proxy (H.264, yuv420p, even size, MP4 with the index
// up front), with progress from ffmpeg's `-progress` output and cancellation through an AbortSignal: the process
// is killed and the partial file removed. The proxy appears under its final name only when complete.
import { spawn } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { FfmpegError, ffmpegPath } from '../../../native/ffmpeg';

/** The transcode was cancelled; no output file was left. */
export class TranscodeCancelledError extends Error {
  override name = 'TranscodeCancelledError';
}

export interface TranscodeOptions {
  signal?: AbortSignal;
  /** Seconds of output written so far, of `durationS` when known. */
  onProgress?: (progress: { doneS: number; durationS: number | null }) => void;
  durationS?: number;
}

/** Where the proxy of `video` goes: beside it, `<name>.proxy.mp4`. */
export function proxyPathFor(video: string): string {
  return join(dirname(video), `${basename(video, extname(video))}.proxy.mp4`);
}

export function transcodeToProxy(input: string, output: string, options: TranscodeOptions = {}): Promise<void> {
  const { signal, onProgress, durationS } = options;
  if (signal?.aborted) return Promise.reject(new TranscodeCancelledError(`transcode of ${input} cancelled before it started`));
  const partial = `${output}.partial.mp4`;
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1', '-y', '-i', input,
    '-map', '0:v:0', '-map', '0:a:0?',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
    // yuv420p needs even sizes.
    '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2',
    '-c:a', 'aac', '-movflags', '+faststart', '-f', 'mp4', partial,
  ];
  const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let cancelled = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    for (const match of chunk.matchAll(/^out_time_us=(\d+)$/gm)) onProgress?.({ doneS: Number(match[1]) / 1e6, durationS: durationS ?? null });
  });
  const onAbort = () => {
    cancelled = true;
    child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      rmSync(partial, { force: true });
      reject(error);
    };
    child.on('error', (error) => fail(new FfmpegError(`ffmpeg could not start for ${input}: ${error.message}`)));
    child.on('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      if (cancelled) return fail(new TranscodeCancelledError(`transcode of ${input} cancelled; ${output} not written`));
      if (code !== 0) return fail(new FfmpegError(`ffmpeg failed transcoding ${input} (${exitSignal ?? `exit ${code}`}): ${stderr.trim() || 'no output'}`));
      renameSync(partial, output);
      resolve();
    });
  });
}
