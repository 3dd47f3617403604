// The one error of the LMDB reader: a data file that is not a readable LMDB environment of the supported kind
// (wrong magic, another data format version, a page or node outside the file, a cycle in the tree, ...).
// The message names the data.mdb path, where in the file (page number and byte offset) and what was expected.

export class LmdbFormatError extends Error {
  override name = 'LmdbFormatError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
