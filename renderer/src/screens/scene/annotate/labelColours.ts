// A colour per action label, so bars of one label look alike across scenes: a label's place in the dataset's
// vocabulary picks a hue by the golden angle (neighbouring classes get distant hues); a label outside the
// vocabulary gets a hue from a hash of its text.

const GOLDEN_ANGLE = 137.508;

function hashHue(label: string): number {
  let hash = 2166136261;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619);
  return (hash >>> 0) % 360;
}

export function labelHue(label: string, vocabulary: readonly { label: string }[]): number {
  const index = vocabulary.findIndex((l) => l.label === label);
  return index >= 0 ? (index * GOLDEN_ANGLE) % 360 : hashHue(label);
}

/** Fill colour of a bar of `label` on the dark theme. */
export function labelColour(label: string, vocabulary: readonly { label: string }[]): string {
  return `hsl(${labelHue(label, vocabulary).toFixed(1)} 55% 42%)`;
}
