// The label picker's filter: labels containing every typed word (in any order, any case), those starting with the
// query first, and whether the typed text would be a new label.

export interface LabelMatches<L extends { label: string }> {
  matches: L[];
  /** The typed text as a label to add, when no label is exactly it. */
  newLabel: string | null;
}

export function searchLabels<L extends { label: string }>(labels: readonly L[], query: string): LabelMatches<L> {
  const typed = query.trim().replace(/\s+/g, ' ');
  const words = typed.toLowerCase().split(' ').filter((w) => w !== '');
  const matches = labels.filter((l) => words.every((w) => l.label.toLowerCase().includes(w)));
  const lower = typed.toLowerCase();
  matches.sort((a, b) => Number(!a.label.toLowerCase().startsWith(lower)) - Number(!b.label.toLowerCase().startsWith(lower)));
  const exact = labels.some((l) => l.label === typed);
  return { matches, newLabel: typed !== '' && !exact ? typed : null };
}
