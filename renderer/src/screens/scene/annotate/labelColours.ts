// Colours of action labels, so the bars of one timeline never share a colour. The palette is Kelly's colours of
// maximum contrast (K. L. Kelly, "Twenty-two colors of maximum contrast", Color Engineering 3(6), 1965), less the
// ones that vanish on the dark theme (black, white, olive green, yellowish brown) and grey (kept for gaps). Each label
// has a home slot, its place in the dataset's vocabulary (a hash of its text outside it); among the labels a scene
// uses, a label whose home slot is taken by one earlier in the vocabulary takes the next free slot. So a scene's
// labels get distinct colours while the palette lasts (then a darker round of it), and a label keeps its colour in
// every scene where its home slot is free.

const kelly = [
  '#F3C300', // yellow
  '#875692', // purple
  '#F38400', // orange
  '#A1CAF1', // light blue
  '#BE0032', // red
  '#C2B280', // buff
  '#008856', // green
  '#E68FAC', // purplish pink
  '#0067A5', // blue
  '#F99379', // yellowish pink
  '#604E97', // violet
  '#F6A600', // orange yellow
  '#B3446C', // purplish red
  '#DCD300', // greenish yellow
  '#882D17', // reddish brown
  '#8DB600', // yellow green
  '#E25822', // reddish orange
] as const;

export const paletteSize = kelly.length;

export interface LabelColour {
  /** The bar's fill. */
  fill: string;
  /** Text on the bar: dark on light fills, light on dark ones. */
  text: string;
}

type Vocabulary = readonly { label: string }[];

function hashOf(label: string): number {
  let hash = 2166136261;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** The label's place in the vocabulary, or past its end by a hash of the text. */
function rank(label: string, vocabulary: Vocabulary): number {
  const index = vocabulary.findIndex((l) => l.label === label);
  return index >= 0 ? index : vocabulary.length + (hashOf(label) % 1_000_000);
}

/** The label's own slot: its place in the vocabulary, else a hash of its text (the same whatever the vocabulary). */
function homeSlot(label: string, vocabulary: Vocabulary): number {
  const index = vocabulary.findIndex((l) => l.label === label);
  return (index >= 0 ? index : hashOf(label)) % paletteSize;
}

/** Slot n of the endless palette: Kelly's colours, then darker rounds of them. */
function colourOfSlot(slot: number): LabelColour {
  const hex = kelly[slot % paletteSize]!;
  const round = Math.floor(slot / paletteSize);
  const shade = 1 / (1 + 0.45 * round);
  const [r, g, b] = [1, 3, 5].map((at) => Math.round(parseInt(hex.slice(at, at + 2), 16) * shade)) as [number, number, number];
  // Relative luminance (sRGB, WCAG) decides the text colour.
  const linear = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return { fill: `rgb(${r} ${g} ${b})`, text: luminance > 0.3 ? '#111418' : '#ffffff' };
}

/**
 * The colour of every label: the labels `inUse` (a scene's) get distinct slots, resolved in vocabulary order; any
 * other label gets its home slot.
 */
export function labelColours(inUse: Iterable<string>, vocabulary: Vocabulary): (label: string) => LabelColour {
  const slots = new Map<string, number>();
  const taken = new Set<number>();
  const labels = [...new Set(inUse)].sort((a, b) => rank(a, vocabulary) - rank(b, vocabulary) || a.localeCompare(b));
  for (const label of labels) {
    const home = homeSlot(label, vocabulary);
    // Probe the palette from the home slot on; once every colour of a round is taken, the next (darker) round.
    const probe = (step: number) => Math.floor(step / paletteSize) * paletteSize + ((home + step) % paletteSize);
    let step = 0;
    while (taken.has(probe(step))) step++;
    const slot = probe(step);
    taken.add(slot);
    slots.set(label, slot);
  }
  return (label) => colourOfSlot(slots.get(label) ?? homeSlot(label, vocabulary));
}
