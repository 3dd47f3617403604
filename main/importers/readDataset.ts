// The one import pipeline every front end runs (`evgap import`, File → Import dataset…, the demo's registration):
// the format's reader, the video step (ffprobe each video, offer proxies for videos a browser cannot play), the
// import checks (importers/common/datasetChecks.ts), the proxies when asked for, then — by commitImport — one catalog
// transaction. Progress and cancellation work the same for every format: each step reports progress and checks
// the AbortSignal between units of work (yielding to the event loop, so a SIGINT handler or a Cancel button is
// heard), and a cancelled or failed import writes nothing.
import { readAssembly101 } from './assembly101/readAssembly101';
import { readCharadesEgo } from './charadesEgo/readCharadesEgo';
import { checkDataset } from './common/datasetChecks';
import type { ImportResult } from './common/importResult';
import { settleCancellation, type ImportControl } from './common/progress';
import type { EgoExo4dFeatureKind } from './egoExo4d/featureSource';
import { readEgoExo4d } from './egoExo4d/readEgoExo4d';
import { readFolderDataset } from './folder/readFolderDataset';
import { acceptTranscodeOffers, probeSpecVideos, type VideoImportResult } from './video/probeSpecVideos';

export const IMPORT_FORMATS = ['assembly101', 'charades-ego', 'egoexo4d', 'folder'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportRequest {
  format: ImportFormat;
  /** The dataset folder, absolute. */
  root: string;
  /** Catalog name (default: the format's, or a folder manifest's). */
  name?: string;
  /** Folders, when not where the format expects them under `root` (absolute). */
  annotations?: string;
  features?: string;
  videos?: string;
  /** Expected feature dimension; tracks of another are left out and reported (formats that ship several). */
  featureDim?: number;
  /** assembly101: which labels become segments. */
  segments?: 'coarse' | 'fine';
  /** egoexo4d: which shipped feature kind, where the features folder does not name it. */
  featureKind?: EgoExo4dFeatureKind;
  /** Write a playable proxy for each video a browser cannot play, and use it. */
  transcode?: boolean;
  /** Probe the videos the dataset names (default true; the demo's own registration skips it). */
  probeVideos?: boolean;
}

function readFormat(request: ImportRequest, control: ImportControl): Promise<ImportResult> {
  const { format, root, name, annotations, features, videos, featureDim, segments, featureKind } = request;
  const common = { root, name, annotations, features, videos, featureDim, ...control };
  switch (format) {
    case 'assembly101':
      return readAssembly101({ ...common, segments });
    case 'charades-ego':
      return readCharadesEgo(common);
    case 'egoexo4d':
      return readEgoExo4d({ ...common, featureKind });
    case 'folder':
      return readFolderDataset(root, { name, ...control });
  }
}

/** Reads, probes and checks a dataset folder, and transcodes when asked; writes nothing to the catalog. */
export async function readDataset(request: ImportRequest, control: ImportControl = {}): Promise<VideoImportResult> {
  if (!(IMPORT_FORMATS as readonly string[]).includes(request.format)) {
    throw new TypeError(`expected an import format (${IMPORT_FORMATS.join(', ')}), got ${String(request.format)}`);
  }
  const read = await readFormat(request, control);
  const probed = request.probeVideos === false ? { ...read, offers: [] } : await probeSpecVideos(read, control);
  const checked = { ...checkDataset(probed), offers: probed.offers };
  const done = request.transcode && checked.offers.length > 0 ? await acceptTranscodeOffers(checked, control) : checked;
  // A stop request that came during the last synchronous stretch is heard here, before the caller commits.
  await settleCancellation(control.signal, 'checking the dataset');
  return done;
}
