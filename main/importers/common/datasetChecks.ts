// The checks every import goes through after its reader and the video step and before anything is written
// (importers/readDataset.ts), for what a researcher would otherwise find hours later, when pre-training fails or
// quietly learns from misread data. Errors refuse the import (an ImportCheckError lists them all, each naming the
// file, scene, view or segment); warnings join the validation report. Which is which, and why (README, "Import
// checks"):
//
// errors: pre-training cannot run on the dataset, or would read the wrong data
//   featureDimMismatch   a view whose features have another dimension than the other views' (one encoder input)
//   emptyTrack           a feature track of 0 frames or 0 dimensions
//   layoutSwapped        a track whose declared layout contradicts its video: read the other way round, its
//                        length matches the video's duration at the feature rate
//   segmentOutsideScene  a segment that ends after the scene's last frame (its longest track's)
//   segmentOverlap       two overlapping segments in one label track, where the format has one label per frame
//                        (multi-label formats, Assembly101's fine-grained segments and Charades, allow overlaps)
//   syncOffsetTooLarge   a sync offset as large as the scene or larger: the view would share no frame with it
// warnings: real datasets have them, and the data stays usable
//   frameCountMismatch   views of one scene whose frame counts differ by more than the format's tolerance
//   videoLength          a feature track whose length does not match its video's duration at the feature rate
import { join } from 'node:path';
import type { SceneImportSpec, TrackImportSpec, ViewImportSpec } from '../../catalog/importSpec';
import { ImportCheckError, type ImportProblem } from './errors';
import type { ImportResult } from './importResult';
import { ReportBuilder } from './validationReport';

/** How the checks apply to a format; every field has a default. */
export interface DatasetChecks {
  /**
   * Frames two views of one scene may differ by before the report mentions it; null when the views are not
   * frame-synchronized (Charades-Ego pairs). Default: one second at the scene's feature rate (30 frames if unknown).
   */
  frameTolerance?: number | null;
  /** Whether segments of one label track may overlap (multi-label annotations). Default false. */
  overlappingSegments?: boolean;
}

/** Frames a view's features may differ from its video's duration by: at least one second. */
const MIN_VIDEO_TOLERANCE_S = 1;
/** Frames assumed per second where no track says (the tolerance default). */
const FALLBACK_FPS = 30;

interface Place {
  scene: string;
  view?: string;
}

class Findings {
  readonly problems: ImportProblem[] = [];
  readonly report: ReportBuilder;

  constructor(result: ImportResult) {
    this.report = new ReportBuilder(result.report.issues);
  }

  error(kind: ImportProblem['kind'], place: Place, message: string): void {
    this.problems.push({ kind, ...place, message });
  }
}

const range = (s: { startFrame: number; endFrame: number }) => `[${s.startFrame}, ${s.endFrame})`;

/** The scene's frames: its longest feature track's (as the annotation editor counts them); null when none is known. */
function sceneFrames(scene: SceneImportSpec): number | null {
  const counts = scene.views.map((v) => v.track?.frameCount).filter((n): n is number => typeof n === 'number');
  return counts.length > 0 ? Math.max(...counts) : null;
}

function featureFile(root: string, track: TrackImportSpec): string {
  return join(root, ...track.featurePath!.split('/'));
}

function featureViews(scene: SceneImportSpec): (ViewImportSpec & { track: TrackImportSpec })[] {
  return scene.views.filter((v): v is ViewImportSpec & { track: TrackImportSpec } => !!v.track?.featurePath);
}

function checkFeatureDims(result: ImportResult, findings: Findings): void {
  const tracks = result.spec.scenes.flatMap((scene) => featureViews(scene).map((view) => ({ scene: scene.name, view })));
  const counts = new Map<number, number>();
  for (const { view } of tracks) {
    const dim = view.track.featureDim;
    if (typeof dim === 'number' && dim > 0) counts.set(dim, (counts.get(dim) ?? 0) + 1);
  }
  if (counts.size < 2) return;
  const [reference, agreeing] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  for (const { scene, view } of tracks) {
    const { featureDim: dim, frameCount: frames, featureLayout: layout } = view.track;
    if (dim === reference || typeof dim !== 'number' || dim <= 0) continue;
    const other = layout === 'TF' ? 'FT' : 'TF';
    const hint = layout && frames === reference ? `; read the other way round it would be ${reference}-d: is its layout "${other}" rather than "${layout}"?` : '';
    findings.error(
      'featureDimMismatch',
      { scene, view: view.name },
      `${featureFile(result.spec.root, view.track)} holds ${dim}-d features, ${agreeing} other views ${reference}-d: the encoder takes one input dimension${hint}`,
    );
  }
}

function checkTracks(result: ImportResult, scene: SceneImportSpec, findings: Findings, tolerance: number | null): void {
  for (const view of featureViews(scene)) {
    const { track } = view;
    const place = { scene: scene.name, view: view.name };
    const file = featureFile(result.spec.root, track);
    if (track.frameCount === 0 || track.featureDim === 0) {
      findings.error('emptyTrack', place, `${file} holds ${track.frameCount ?? '?'} frames of ${track.featureDim ?? '?'}-d features: expected at least one of each`);
      continue;
    }
    const { frameCount: frames, featureDim: dim, featureFps: fps, videoDurationS: duration } = track;
    if (typeof frames !== 'number' || typeof fps !== 'number' || typeof duration !== 'number' || !(duration > 0) || !track.videoPath) continue;
    const expected = duration * fps;
    const slack = Math.max(tolerance ?? 0, MIN_VIDEO_TOLERANCE_S * fps);
    if (Math.abs(frames - expected) <= slack) continue;
    const video = `its video ${track.videoPath} lasts ${duration.toFixed(2)} s = ${Math.round(expected)} frames at ${fps} fps`;
    if (track.featureLayout && typeof dim === 'number' && Math.abs(dim - expected) <= slack) {
      findings.error(
        'layoutSwapped',
        place,
        `${file}: declared layout "${track.featureLayout}" reads ${frames} frames of ${dim}-d features, but ${video}; ` +
          `read as "${track.featureLayout === 'TF' ? 'FT' : 'TF'}" it would be ${dim} frames of ${frames}-d: the layout looks swapped`,
      );
    } else {
      findings.report.add({ kind: 'videoLength', ...place, message: `${file} has ${frames} frames, but ${video}` });
    }
  }
}

function checkFrameCounts(scene: SceneImportSpec, findings: Findings, tolerance: number | null): void {
  if (tolerance === null) return;
  const views = scene.views.filter((v) => typeof v.track?.frameCount === 'number').map((v) => ({ name: v.name, frames: v.track!.frameCount! }));
  if (views.length < 2) return;
  const sorted = [...views].sort((a, b) => a.frames - b.frames);
  if (sorted[sorted.length - 1]!.frames - sorted[0]!.frames > tolerance) {
    findings.report.add({
      kind: 'frameCountMismatch',
      scene: scene.name,
      message: `frame counts disagree by more than ${tolerance}: ${sorted.map((v) => `${v.name} ${v.frames}`).join(', ')}`,
    });
  }
}

function checkSegments(scene: SceneImportSpec, frames: number | null, findings: Findings, overlapping: boolean): void {
  const place = { scene: scene.name };
  const located = scene.segments.map((segment, i) => ({ segment, track: segment.origin?.track ?? 'segments', where: segment.origin?.where ?? `segments[${i}]` }));
  if (frames !== null) {
    for (const { segment, where } of located) {
      if (segment.endFrame > frames) {
        findings.error(
          'segmentOutsideScene',
          place,
          `${where}: segment ${range(segment)} ${JSON.stringify(segment.label)} ends after the scene's last frame (${frames} frames, its longest track)`,
        );
      }
    }
  }
  if (overlapping) return;
  const byTrack = new Map<string, typeof located>();
  for (const entry of located) byTrack.set(entry.track, [...(byTrack.get(entry.track) ?? []), entry]);
  for (const entries of byTrack.values()) {
    const ordered = [...entries].sort((a, b) => a.segment.startFrame - b.segment.startFrame || a.segment.endFrame - b.segment.endFrame);
    let latest = ordered[0];
    for (const entry of ordered.slice(1)) {
      if (latest && entry.segment.startFrame < latest.segment.endFrame) {
        findings.error(
          'segmentOverlap',
          place,
          `${entry.where}: segment ${range(entry.segment)} ${JSON.stringify(entry.segment.label)} overlaps ${latest.where} ${range(latest.segment)} ` +
            `${JSON.stringify(latest.segment.label)} in one label track (expected one label per frame)`,
        );
      }
      if (!latest || entry.segment.endFrame > latest.segment.endFrame) latest = entry;
    }
  }
}

function checkSyncOffsets(scene: SceneImportSpec, frames: number | null, findings: Findings): void {
  // A scene without frames has its empty tracks refused already.
  if (frames === null || frames === 0) return;
  for (const view of scene.views) {
    if (Math.abs(view.syncOffsetFrames) >= frames) {
      findings.error(
        'syncOffsetTooLarge',
        { scene: scene.name, view: view.name },
        `sync offset ${view.syncOffsetFrames} frames is as large as the scene (${frames} frames) or larger: the view would share no frame with it`,
      );
    }
  }
}

/** The frame tolerance of a scene: the format's, else one second at its feature rate. */
function sceneTolerance(scene: SceneImportSpec, checks: DatasetChecks): number | null {
  if (checks.frameTolerance !== undefined) return checks.frameTolerance;
  const rates = scene.views.map((v) => v.track?.featureFps).filter((fps): fps is number => typeof fps === 'number' && fps > 0);
  return Math.round(rates.length > 0 ? Math.max(...rates) : FALLBACK_FPS);
}

/**
 * Runs every check on an import: throws ImportCheckError listing every error, else returns the result with the
 * warnings added to its report.
 */
export function checkDataset(result: ImportResult): ImportResult {
  const checks = result.checks ?? {};
  const findings = new Findings(result);
  checkFeatureDims(result, findings);
  for (const scene of result.spec.scenes) {
    const frames = sceneFrames(scene);
    const tolerance = sceneTolerance(scene, checks);
    checkTracks(result, scene, findings, tolerance);
    checkFrameCounts(scene, findings, tolerance);
    checkSegments(scene, frames, findings, checks.overlappingSegments ?? false);
    checkSyncOffsets(scene, frames, findings);
  }
  if (findings.problems.length > 0) throw new ImportCheckError(result.source ?? result.spec.root, findings.problems);
  return { ...result, report: findings.report.build() };
}
