// The shared video step on a real importer's result: Charades-Ego videos found beside the features are probed into
// the tracks, an unplayable one is offered a proxy, and accepting the offer points the track at the proxy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/Catalog';
import { NpyWriter } from '../../../../main/formats/npy';
import { readCharadesEgo } from '../../../../main/importers/charadesEgo/readCharadesEgo';
import { commitImport } from '../../../../main/importers/common/importResult';
import { acceptTranscodeOffers, probeSpecVideos } from '../../../../main/importers/video/probeSpecVideos';
import { ffmpegPath } from '../../../../native/ffmpeg';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();
const HEADER = 'id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length,egocentric,charades_video';

function video(file: string, codec: string): void {
  execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=24:duration=1', '-c:v', codec, '-pix_fmt', 'yuv420p', file]);
}

function dataset(): string {
  const root = tempDir();
  writeFileSync(join(root, 'CharadesEgo_v1_train.csv'), `${HEADER}\nAB12C,P1,Kitchen,5,5,Yes,s,o,d,c001 0.1 0.5,1,No,AB12C\nAB12CEGO,P1,Kitchen,5,5,Yes,s,o,d,,1,Yes,AB12C\n`);
  for (const id of ['AB12C', 'AB12CEGO']) {
    mkdirSync(join(root, 'features'), { recursive: true });
    const writer = NpyWriter.create(join(root, 'features', `${id}.npy`), { dtype: 'float32', rows: 24, cols: 2 });
    writer.writeRows(new Float32Array(48));
    writer.close();
  }
  mkdirSync(join(root, 'CharadesEgo_v1_480'));
  video(join(root, 'CharadesEgo_v1_480', 'AB12C.mp4'), 'libx264');
  video(join(root, 'CharadesEgo_v1_480', 'AB12CEGO.mp4'), 'mpeg4');
  return root;
}

describe('probeSpecVideos', () => {
  it('fills the video fields and offers a proxy for the video a browser cannot play', async () => {
    const probed = await probeSpecVideos(await readCharadesEgo({ root: dataset() }));
    const [ego, exo] = probed.spec.scenes[0]!.views;
    expect(exo!.track).toMatchObject({ videoPath: 'CharadesEgo_v1_480/AB12C.mp4', videoCodec: 'h264', videoWidth: 64, videoHeight: 48, videoFps: 24 });
    expect(ego!.track).toMatchObject({ videoPath: 'CharadesEgo_v1_480/AB12CEGO.mp4', videoCodec: 'mpeg4' });
    expect(probed.offers.map((o) => [o.scene, o.view, o.reasons])).toEqual([['AB12C', 'ego', ['codec mpeg4 does not play in mp4 (expected h264, vp9, av1)']]]);
    expect(probed.report.counts).toEqual({ unplayableVideo: 1 });
  });

  it('points the track at the proxy once the offer is accepted, ready for the catalog', async () => {
    const accepted = await acceptTranscodeOffers(await probeSpecVideos(await readCharadesEgo({ root: dataset() })));
    expect(accepted.offers).toEqual([]);
    expect(accepted.spec.scenes[0]!.views[0]!.track).toMatchObject({ videoPath: 'CharadesEgo_v1_480/AB12CEGO.proxy.mp4', videoCodec: 'h264' });
    const catalog = Catalog.open(join(tempDir(), 'catalog.sqlite'));
    try {
      const id = commitImport(catalog, accepted);
      const scene = catalog.getScene(catalog.listScenes(id)[0]!.id);
      expect(scene.views.map((v) => v.track!.videoPath)).toEqual(['CharadesEgo_v1_480/AB12CEGO.proxy.mp4', 'CharadesEgo_v1_480/AB12C.mp4']);
    } finally {
      catalog.close();
    }
  });
});
