// The validation report an import returns with its result: what was imported with gaps (missing views, views whose
// frame counts disagree, tracks of the wrong feature dimension that were left out, features and videos of different
// lengths, videos a browser cannot play). Hard errors (unreadable files, malformed lines, the import checks' errors)
// are thrown instead; these are the things worth a look.

export type ImportIssueKind =
  | 'missingView'
  | 'frameCountMismatch'
  | 'featureDim'
  | 'missingFeatures'
  | 'missingLabels'
  | 'splitConflict'
  | 'unpairedVideo'
  | 'unplayableVideo'
  | 'videoLength';

export interface ImportIssue {
  kind: ImportIssueKind;
  /** The scene (recording, pair, take) it is about, if any. */
  scene?: string;
  /** The view it is about, if any. */
  view?: string;
  message: string;
}

export interface ValidationReport {
  issues: ImportIssue[];
  /** Issues per kind, for a one-line summary. */
  counts: Partial<Record<ImportIssueKind, number>>;
}

export class ReportBuilder {
  readonly #issues: ImportIssue[];

  /** Starts from `issues` (an earlier step's report). */
  constructor(issues: readonly ImportIssue[] = []) {
    this.#issues = [...issues];
  }

  add(issue: ImportIssue): void {
    this.#issues.push(issue);
  }

  build(): ValidationReport {
    const counts: Partial<Record<ImportIssueKind, number>> = {};
    for (const issue of this.#issues) counts[issue.kind] = (counts[issue.kind] ?? 0) + 1;
    return { issues: [...this.#issues], counts };
  }
}

/** `3 missingView, 1 featureDim` or `no issues`. */
export function summarizeReport(report: ValidationReport): string {
  const parts = Object.entries(report.counts).map(([kind, count]) => `${count} ${kind}`);
  return parts.length === 0 ? 'no issues' : parts.join(', ');
}
