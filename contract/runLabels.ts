// What a researcher may call a run and how it may be tagged: the limits, and the checks both sides run (the
// renderer refuses a bad tag as it is typed; the catalog refuses it again before writing). A tag is one word
// (letters, digits and . _ : / + -, starting with a letter or digit, so `evgap run tag RUN +x -y` can tell adding
// from removing); a name is any single line of text. Tags are kept as typed and compared exactly.

export const runLabelLimits = {
  /** Characters of a run's name. */
  nameLength: 120,
  /** Characters of one tag. */
  tagLength: 40,
  /** Tags on one run. */
  tagsPerRun: 16,
} as const;

const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/+-]*$/;

/** Why `tag` cannot be a tag, or null when it can. */
export function tagProblem(tag: string): string | null {
  if (tag.length === 0) return 'expected a tag, got an empty one';
  if (tag.length > runLabelLimits.tagLength) return `expected a tag of at most ${runLabelLimits.tagLength} characters, got ${tag.length}`;
  if (!TAG_PATTERN.test(tag)) {
    return `expected a tag of letters, digits and . _ : / + - starting with a letter or digit, got ${JSON.stringify(tag)}`;
  }
  return null;
}

/** Why `name` (already trimmed) cannot name a run, or null when it can; the empty name clears it. */
export function runNameProblem(name: string): string | null {
  if (name.length > runLabelLimits.nameLength) return `expected a name of at most ${runLabelLimits.nameLength} characters, got ${name.length}`;
  // Control characters (line breaks included) would break the runs list and `evgap runs` lines.
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'expected a name on one line without control characters';
  return null;
}

/** A run's tags after adding and removing some: sorted, without repeats. Removing wins over adding the same tag. */
export function editTags(current: readonly string[], add: readonly string[] = [], remove: readonly string[] = []): string[] {
  const removed = new Set(remove);
  return [...new Set([...current, ...add])].filter((tag) => !removed.has(tag)).sort();
}
