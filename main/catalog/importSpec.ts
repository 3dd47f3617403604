// What an importer hands the catalog: a whole dataset as plain data, written in one transaction by
// Catalog.importDataset. Paths are relative to `root` so a moved dataset can be re-pointed.
import type { Role } from '../../contract/api';

export interface DatasetImportSpec {
  name: string;
  /** Absolute path of the dataset root on this machine. */
  root: string;
  /** 'folder' (generic manifest), 'demo', 'assembly101', 'charades-ego', 'egoexo4d'. */
  format: string;
  /** Free-form JSON kept with the dataset (generator seed, source versions, ...). */
  meta?: Record<string, unknown>;
  /** Label vocabularies (e.g. 'actions'); segment labels are added to 'actions' automatically. */
  vocabularies?: VocabularyImportSpec[];
  scenes: SceneImportSpec[];
}

export interface VocabularyImportSpec {
  name: string;
  labels: { label: string; verb?: string | null; object?: string | null }[];
}

export interface SceneImportSpec {
  name: string;
  split?: 'train' | 'val' | 'test' | null;
  meta?: Record<string, unknown>;
  views: ViewImportSpec[];
  segments: SegmentImportSpec[];
}

export interface ViewImportSpec {
  name: string;
  role: Role;
  cameraId?: string | null;
  /** Scene frame t is this view's frame t + syncOffsetFrames. */
  syncOffsetFrames: number;
  track?: TrackImportSpec;
}

export interface TrackImportSpec {
  /** Relative to the dataset root. */
  featurePath?: string | null;
  /** How the feature file stores its matrix: [T, F] ('TF') or [F, T] ('FT'). */
  featureLayout?: 'TF' | 'FT' | null;
  featureDtype?: 'float32' | 'float16' | null;
  featureDim?: number | null;
  featureFps?: number | null;
  /** A windowed track's stride and window length in frames (both or neither; see TrackInfo). */
  featureStrideFrames?: number | null;
  featureWindowFrames?: number | null;
  frameCount?: number | null;
  /** Relative to the dataset root. */
  videoPath?: string | null;
  videoFps?: number | null;
  videoDurationS?: number | null;
  videoWidth?: number | null;
  videoHeight?: number | null;
  videoCodec?: string | null;
}

export interface SegmentImportSpec {
  startFrame: number;
  /** Exclusive. */
  endFrame: number;
  label: string;
  verb?: string | null;
  object?: string | null;
  /**
   * Where an importer read it, for the import checks' messages (not stored): its label track, within which
   * segments must not overlap unless the format allows it (e.g. a label file), and its place (`file:line`, JSON
   * path). Default: the scene's one track.
   */
  origin?: { track: string; where: string };
}
