// Turns a probed video into the track fields the catalog keeps, and into a transcode offer when a browser cannot
// play it (the import goes on; the offer is returned with the result and noted in the validation report).
import type { TrackImportSpec } from '../../catalog/importSpec';
import type { ReportBuilder } from '../common/validationReport';
import { browserPlayability } from './playability';
import { probeVideoFile } from './probeVideoFile';
import { proxyPathFor } from './transcodeProxy';

export interface TranscodeOffer {
  /** Absolute path of the video as found. */
  video: string;
  /** Where the playable proxy would go. */
  proxy: string;
  reasons: string[];
}

export type VideoTrackFields = Pick<TrackImportSpec, 'videoPath' | 'videoFps' | 'videoDurationS' | 'videoWidth' | 'videoHeight' | 'videoCodec'>;

/** Probes `file` (absolute), returns the track's video fields with `relativePath`, and an offer when unplayable. */
export async function describeVideo(
  file: string,
  relativePath: string,
  where: { scene: string; view: string; report: ReportBuilder },
  signal?: AbortSignal,
): Promise<{ fields: VideoTrackFields; offer?: TranscodeOffer }> {
  const facts = await probeVideoFile(file, signal);
  const fields: VideoTrackFields = {
    videoPath: relativePath,
    videoFps: facts.fps > 0 ? facts.fps : null,
    videoDurationS: facts.durationS,
    videoWidth: facts.width || null,
    videoHeight: facts.height || null,
    videoCodec: facts.codec,
  };
  const playability = browserPlayability(facts);
  if (playability.playable) return { fields };
  where.report.add({
    kind: 'unplayableVideo',
    scene: where.scene,
    view: where.view,
    message: `${file}: a browser cannot play it (${playability.reasons.join('; ')}); a proxy transcode is offered`,
  });
  return { fields, offer: { video: file, proxy: proxyPathFor(file), reasons: playability.reasons } };
}
