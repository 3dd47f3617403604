// The video step every importer shares: probe each track's video (ffprobe) into the spec's video fields, collect
// transcode offers for videos a browser cannot play, and, when the user accepts, write the playable proxies and
// point the tracks at them, all before the catalog is written. Progress per video; cancellable between videos
// and inside a transcode (ffmpeg is killed, the partial proxy removed).
import { join } from 'node:path';
import type { TrackImportSpec } from '../../catalog/importSpec';
import { relativeTo } from '../common/datasetPaths';
import type { ImportResult } from '../common/importResult';
import { ProgressCounter, throwIfCancelled, type ImportControl } from '../common/progress';
import { ReportBuilder } from '../common/validationReport';
import { transcodeToProxy } from './transcodeProxy';
import { describeVideo, type TranscodeOffer } from './videoTrack';

export interface VideoImportResult extends ImportResult {
  offers: (TranscodeOffer & { scene: string; view: string })[];
}

function videoTracks(result: ImportResult): { scene: string; view: string; track: TrackImportSpec }[] {
  return result.spec.scenes.flatMap((scene) =>
    scene.views.filter((view) => view.track?.videoPath).map((view) => ({ scene: scene.name, view: view.name, track: view.track! })),
  );
}

/** Probes every video the spec names; returns the spec with video fields filled, the report extended, and the offers. */
export async function probeSpecVideos(result: ImportResult, control: ImportControl = {}): Promise<VideoImportResult> {
  const report = new ReportBuilder(result.report.issues);
  const tracks = videoTracks(result);
  const counter = new ProgressCounter(tracks.length, control);
  const offers: VideoImportResult['offers'] = [];
  for (const { scene, view, track } of tracks) {
    throwIfCancelled(control.signal, 'probing videos');
    const file = join(result.spec.root, ...track.videoPath!.split('/'));
    let described;
    try {
      described = await describeVideo(file, track.videoPath!, { scene, view, report }, control.signal);
    } catch (error) {
      // A probe stopped by the signal is a cancelled import, not a bad video.
      throwIfCancelled(control.signal, 'probing videos');
      throw error;
    }
    const { fields, offer } = described;
    Object.assign(track, fields);
    if (offer) offers.push({ ...offer, scene, view });
    await counter.step(`video ${scene}/${view}`);
  }
  return { ...result, report: report.build(), offers };
}

/** Transcodes every offered video to its proxy and points its track at the proxy (relative to the root). */
export async function acceptTranscodeOffers(result: VideoImportResult, control: ImportControl = {}): Promise<VideoImportResult> {
  const counter = new ProgressCounter(result.offers.length, control);
  for (const offer of result.offers) {
    throwIfCancelled(control.signal, 'transcoding videos');
    await transcodeToProxy(offer.video, offer.proxy, { signal: control.signal });
    const track = result.spec.scenes.find((s) => s.name === offer.scene)?.views.find((v) => v.name === offer.view)?.track;
    if (track) {
      track.videoPath = relativeTo(result.spec.root, offer.proxy);
      track.videoCodec = 'h264';
    }
    await counter.step(`proxy of ${offer.scene}/${offer.view}`);
  }
  return { ...result, offers: [] };
}
