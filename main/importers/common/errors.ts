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
