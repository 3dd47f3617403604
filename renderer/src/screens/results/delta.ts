// Δ of a result against its baseline and how it reads: the signed difference, whether it is an improvement
// (higher is better, except for ranks), and its text with an explicit sign at the table's precision.

export interface Delta {
  /** value − baseline. */
  value: number;
  /** 'better' / 'worse' at display precision; 'same' when it rounds to zero. */
  tone: 'better' | 'worse' | 'same';
  text: string;
}

/**
 * Decimals a table's numbers are shown with: one for percentages and ranks (any value above 1), three for
 * fractions, so a whole table reads at one precision.
 */
export function decimalsFor(values: readonly number[]): number {
  return values.some((value) => Math.abs(value) > 1) ? 1 : 3;
}

export function formatValue(value: number | null, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value.toFixed(decimals);
}

export function deltaOf(value: number, baseline: number, lowerIsBetter: boolean, decimals: number): Delta {
  const difference = value - baseline;
  const rounded = Number(difference.toFixed(decimals));
  const improved = lowerIsBetter ? rounded < 0 : rounded > 0;
  const tone = rounded === 0 ? 'same' : improved ? 'better' : 'worse';
  const text = rounded === 0 ? `±${(0).toFixed(decimals)}` : `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(decimals)}`;
  return { value: difference, tone, text };
}
