import { describe, expect, it } from 'vitest';
import { labelColour, labelHue } from '../../../renderer/src/screens/scene/annotate/labelColours';

describe('label colours', () => {
  const vocabulary = [{ label: 'take wheel' }, { label: 'screw bolt' }, { label: 'put arm' }];

  it('gives vocabulary neighbours distant hues by the golden angle', () => {
    expect(labelHue('take wheel', vocabulary)).toBe(0);
    expect(labelHue('screw bolt', vocabulary)).toBeCloseTo(137.508);
    expect(labelHue('put arm', vocabulary)).toBeCloseTo(275.016);
  });

  it('colours a label outside the vocabulary the same way every time', () => {
    expect(labelColour('inspect cabin', vocabulary)).toBe(labelColour('inspect cabin', []));
    expect(labelColour('inspect cabin', [])).not.toBe(labelColour('inspect wheel', []));
    expect(labelColour('take wheel', vocabulary)).toMatch(/^hsl\(0\.0 55% 42%\)$/);
  });
});
