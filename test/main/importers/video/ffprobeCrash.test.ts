// ffprobe, the native parser of untrusted video files, runs as a child process: stand-in executables (chosen with
// EVGAP_FFPROBE, as a user would point the app at a system ffprobe) that crash with SIGSEGV, print garbage, fail or
// hang show that each way it can go wrong comes back as an error naming the video, and the process lives on.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeVideoFile } from '../../../../main/importers/video/probeVideoFile';
import { FFPROBE_ENV, FfmpegError, FfmpegMissingError, runFfprobe } from '../../../../native/ffmpeg';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();
const saved = process.env[FFPROBE_ENV];

afterEach(() => {
  if (saved === undefined) delete process.env[FFPROBE_ENV];
  else process.env[FFPROBE_ENV] = saved;
});

/** A stand-in ffprobe: a shell script with `body`, made the one the app runs. */
function standInFfprobe(folder: string, body: string): string {
  const path = join(folder, 'ffprobe');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  process.env[FFPROBE_ENV] = path;
  return path;
}

function video(): string {
  const file = join(tempDir(), 'clip.mp4');
  writeFileSync(file, 'not a video');
  return file;
}

describe('ffprobe failures become errors naming the video', () => {
  it('a crash (killed by SIGSEGV)', async () => {
    standInFfprobe(tempDir(), 'echo "segfault ahead" >&2\nkill -SEGV $$');
    const file = video();
    const error = await probeVideoFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as Error).message).toBe(`ffprobe crashed (killed by SIGSEGV) while reading ${file}: segfault ahead; the file may be corrupt`);
  });

  it('garbage on stdout, and JSON that is not an object', async () => {
    const file = video();
    standInFfprobe(tempDir(), "printf '\\001\\002garbage'");
    await expect(probeVideoFile(file)).rejects.toThrow(new FfmpegError(`ffprobe gave output that is not JSON for ${file}: "\\u0001\\u0002garbage"`));
    standInFfprobe(tempDir(), "echo '[1, 2]'");
    await expect(probeVideoFile(file)).rejects.toThrow(`ffprobe gave output that is not a JSON object for ${file}`);
    standInFfprobe(tempDir(), `echo '{"streams": "nope", "format": 7}'`);
    await expect(probeVideoFile(file)).rejects.toThrow(new FfmpegError(`ffprobe found no video stream in ${file}`));
  });

  it('an exit with an error, and an executable that is not there', async () => {
    const file = video();
    standInFfprobe(tempDir(), 'echo "Invalid data found when processing input" >&2\nexit 1');
    await expect(probeVideoFile(file)).rejects.toThrow(new FfmpegError(`ffprobe could not read ${file}: Invalid data found when processing input`));
    process.env[FFPROBE_ENV] = join(tempDir(), 'no-such-ffprobe');
    await expect(probeVideoFile(file)).rejects.toBeInstanceOf(FfmpegMissingError);
  });

  it('a hang, stopped at the time limit', async () => {
    const file = video();
    standInFfprobe(tempDir(), 'exec sleep 30');
    await expect(runFfprobe(file, [file], { timeoutMs: 300 })).rejects.toThrow(new FfmpegError(`ffprobe did not finish reading ${file} within 0.3 s; stopped it`));
  });
});
