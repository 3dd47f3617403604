// Δ against the baseline: its sign, whether it is an improvement, and its text at display precision.
import { describe, expect, it } from 'vitest';
import { deltaOf, formatValue } from '../../../renderer/src/screens/results/delta';

describe('deltaOf', () => {
  it('is better when higher, unless lower is better', () => {
    expect(deltaOf(31.2, 30.3, false)).toMatchObject({ tone: 'better', text: '+0.9' });
    expect(deltaOf(31.2, 30.3, true)).toMatchObject({ tone: 'worse', text: '+0.9' });
    expect(deltaOf(4, 10, true)).toMatchObject({ tone: 'better', text: '−6.0' });
  });

  it('is the same when the difference rounds to zero at display precision', () => {
    expect(deltaOf(30.31, 30.33, false)).toMatchObject({ tone: 'same', text: '±0.0' });
    expect(deltaOf(0.4215, 0.4212, false)).toMatchObject({ tone: 'same', text: '±0.000' });
  });

  it('shows fractions with three decimals', () => {
    expect(deltaOf(0.42, 0.4, false).text).toBe('+0.020');
    expect(formatValue(0.42)).toBe('0.420');
    expect(formatValue(31.25)).toBe('31.3');
    expect(formatValue(null)).toBe('—');
  });
});
