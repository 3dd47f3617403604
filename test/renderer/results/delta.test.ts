// Δ against the baseline: its sign, whether it is an improvement, and its text at the table's precision.
import { describe, expect, it } from 'vitest';
import { decimalsFor, deltaOf, formatValue } from '../../../renderer/src/screens/results/delta';

describe('deltaOf', () => {
  it('is better when higher, unless lower is better', () => {
    expect(deltaOf(31.2, 30.3, false, 1)).toMatchObject({ tone: 'better', text: '+0.9' });
    expect(deltaOf(31.2, 30.3, true, 1)).toMatchObject({ tone: 'worse', text: '+0.9' });
    expect(deltaOf(4, 10, true, 1)).toMatchObject({ tone: 'better', text: '−6.0' });
  });

  it('is the same when the difference rounds to zero at the table’s precision', () => {
    expect(deltaOf(30.31, 30.33, false, 1)).toMatchObject({ tone: 'same', text: '±0.0' });
    expect(deltaOf(0.4215, 0.4212, false, 3)).toMatchObject({ tone: 'same', text: '±0.000' });
    expect(deltaOf(0.4215, 0.4212, false, 4)).toMatchObject({ tone: 'better', text: '+0.0003' });
  });
});

describe('table precision', () => {
  it('shows percentages with one decimal and tables of fractions with three', () => {
    expect(decimalsFor([0.222, 31.2, 0.998])).toBe(1);
    expect(decimalsFor([0.42, 0.4, 1])).toBe(3);
    expect(formatValue(0.998, 1)).toBe('1.0');
    expect(formatValue(0.42, 3)).toBe('0.420');
    expect(formatValue(null, 1)).toBe('—');
    expect(formatValue(Number.NaN, 1)).toBe('—');
  });
});
