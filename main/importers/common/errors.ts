// Errors of dataset importers. A format error names where the bad input is (file, file:line, or LMDB environment
// and key) so the user can open it; a cancelled import says what it was doing when it stopped.

/** Input that does not have the shape an importer expects; `where` is `file`, `file:line` or `environment key`. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
  constructor(
    readonly where: string,
    problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

/** The import was cancelled through its AbortSignal; nothing was written to the catalog. */
export class ImportCancelledError extends Error {
  override name = 'ImportCancelledError';
}

/** One reason the import checks refuse a dataset (see datasetChecks.ts). */
export interface ImportProblem {
  kind: 'featureDimMismatch' | 'emptyTrack' | 'layoutSwapped' | 'segmentOutsideScene' | 'segmentOverlap' | 'syncOffsetTooLarge';
  scene: string;
  view?: string;
  message: string;
}

/** Problems listed in an ImportCheckError's message; the rest are counted (all are in `problems`). */
const LISTED_PROBLEMS = 20;

/** The dataset read, but the import checks found errors; nothing was written. Lists every problem. */
export class ImportCheckError extends Error {
  override name = 'ImportCheckError';
  constructor(
    /** The file or folder describing the dataset (its manifest, annotation folder, ...). */
    readonly source: string,
    readonly problems: readonly ImportProblem[],
  ) {
    const lines = problems.slice(0, LISTED_PROBLEMS).map((p) => `  ${p.kind} ${[p.scene, p.view].filter(Boolean).join(' / ')}: ${p.message}`);
    if (problems.length > LISTED_PROBLEMS) lines.push(`  ... and ${problems.length - LISTED_PROBLEMS} more`);
    super(`${source}: the import checks found ${problems.length} error${problems.length === 1 ? '' : 's'}; nothing was imported\n${lines.join('\n')}`);
  }
}
