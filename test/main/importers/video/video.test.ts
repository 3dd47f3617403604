// Video probing, the browser-playability rule and the proxy transcode (progress, cancellation that kills ffmpeg
// and leaves no file), on small videos generated with the bundled ffmpeg.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpegPath } from '../../../../native/ffmpeg';
import { ReportBuilder } from '../../../../main/importers/common/validationReport';
import { browserPlayability } from '../../../../main/importers/video/playability';
import { probeVideoFile } from '../../../../main/importers/video/probeVideoFile';
import { proxyPathFor, TranscodeCancelledError, transcodeToProxy } from '../../../../main/importers/video/transcodeProxy';
import { describeVideo } from '../../../../main/importers/video/videoTrack';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();

function makeVideo(file: string, options: { size?: string; seconds?: number; codec?: string[]; pixelFormat?: string }): string {
  const { size = '64x48', seconds = 1, codec = ['-c:v', 'libx264'], pixelFormat = 'yuv420p' } = options;
  execFileSync(ffmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25:duration=${seconds}`,
    ...codec, '-pix_fmt', pixelFormat, file,
  ]);
  return file;
}

describe('probeVideoFile and browserPlayability', () => {
  it('reads container, codec, pixel format, size, rate and duration, and finds H.264 in MP4 playable', async () => {
    const facts = await probeVideoFile(makeVideo(join(tempDir(), 'ok.mp4'), {}));
    expect(facts).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 64, height: 48, fps: 25, frameCount: 25 });
    expect(facts.container).toContain('mp4');
    expect(facts.durationS).toBeCloseTo(1, 1);
    expect(browserPlayability(facts)).toEqual({ playable: true });
  });

  it('finds MPEG-4 part 2 in AVI unplayable, naming container and codec', async () => {
    const facts = await probeVideoFile(makeVideo(join(tempDir(), 'old.avi'), { codec: ['-c:v', 'mpeg4'] }));
    const verdict = browserPlayability(facts);
    expect(verdict.playable).toBe(false);
    expect(!verdict.playable && verdict.reasons.join('; ')).toMatch(/container avi .* is not MP4 or WebM; codec mpeg4 is not H\.264/);
  });

  it('finds H.264 in a 4:4:4 pixel format unplayable', async () => {
    const facts = await probeVideoFile(makeVideo(join(tempDir(), 'full.mp4'), { pixelFormat: 'yuv444p' }));
    expect(browserPlayability(facts)).toEqual({ playable: false, reasons: ['pixel format yuv444p (expected yuv420p or yuvj420p)'] });
  });

  it('offers a proxy for an unplayable video and notes it in the report', async () => {
    const file = makeVideo(join(tempDir(), 'cam.avi'), { codec: ['-c:v', 'mpeg4'] });
    const report = new ReportBuilder();
    const { fields, offer } = await describeVideo(file, 'videos/cam.avi', { scene: 's', view: 'v1', report });
    expect(fields).toMatchObject({ videoPath: 'videos/cam.avi', videoCodec: 'mpeg4', videoWidth: 64, videoHeight: 48, videoFps: 25 });
    expect(offer).toMatchObject({ video: file, proxy: proxyPathFor(file) });
    expect(report.build().counts).toEqual({ unplayableVideo: 1 });
  });
});

describe('transcodeToProxy', () => {
  it('writes a playable H.264 proxy of even size and reports progress', async () => {
    const dir = tempDir();
    const input = makeVideo(join(dir, 'odd.avi'), { size: '65x49', codec: ['-c:v', 'mpeg4'], seconds: 2 });
    const seen: number[] = [];
    await transcodeToProxy(input, proxyPathFor(input), { durationS: 2, onProgress: ({ doneS }) => seen.push(doneS) });
    const facts = await probeVideoFile(proxyPathFor(input));
    expect(browserPlayability(facts)).toEqual({ playable: true });
    expect([facts.width, facts.height]).toEqual([64, 48]);
    expect(seen.length).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['odd.avi', 'odd.proxy.mp4']);
  });

  it('kills ffmpeg on abort and leaves no output', async () => {
    const dir = tempDir();
    const input = makeVideo(join(dir, 'long.avi'), { size: '640x480', codec: ['-c:v', 'mpeg4'], seconds: 60 });
    const output = proxyPathFor(input);
    const controller = new AbortController();
    const run = transcodeToProxy(input, output, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(TranscodeCancelledError);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir)).toEqual(['long.avi']);
  });

  it('refuses to start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(transcodeToProxy('/nonexistent.avi', '/tmp/x.mp4', { signal: controller.signal })).rejects.toBeInstanceOf(TranscodeCancelledError);
  });
});
