// Label colours: distinct for the labels of one scene (while the palette lasts, then a darker round), a label's home
// colour from its place in the vocabulary, readable text on every fill.
import { describe, expect, it } from 'vitest';
import { labelColours, paletteSize } from '../../../renderer/src/screens/scene/annotate/labelColours';

const vocabulary = Array.from({ length: 30 }, (_, i) => ({ label: `label ${i}` }));

describe('label colours', () => {
  it('gives every label a scene uses its own colour, even labels whose home colours collide', () => {
    // label 0 and label 17 share a home slot in a palette of 17.
    expect(paletteSize).toBe(17);
    const inUse = ['label 0', 'label 17', 'label 1', 'label 5'];
    const colourOf = labelColours(inUse, vocabulary);
    const fills = inUse.map((label) => colourOf(label).fill);
    expect(new Set(fills).size).toBe(inUse.length);
    // The earlier vocabulary label keeps its home colour; the later one moves on.
    expect(colourOf('label 0')).toEqual(labelColours([], vocabulary)('label 0'));
    expect(colourOf('label 17')).not.toEqual(labelColours([], vocabulary)('label 17'));
  });

  it('keeps a label’s colour in any scene where its home colour is free', () => {
    expect(labelColours(['label 3', 'label 9'], vocabulary)('label 3')).toEqual(labelColours(['label 3', 'label 20'], vocabulary)('label 3'));
  });

  it('stays distinct past the palette size with a darker round', () => {
    const inUse = vocabulary.map((l) => l.label);
    const colourOf = labelColours(inUse, vocabulary);
    expect(new Set(inUse.map((label) => colourOf(label).fill)).size).toBe(inUse.length);
  });

  it('colours labels outside the vocabulary the same way every time, and picks readable text', () => {
    expect(labelColours([], vocabulary)('inspect cabin')).toEqual(labelColours([], [])('inspect cabin'));
    const colourOf = labelColours([], vocabulary);
    expect(colourOf('label 0')).toEqual({ fill: 'rgb(243 195 0)', text: '#111418' }); // Kelly's yellow: dark text
    expect(colourOf('label 4').text).toBe('#ffffff'); // Kelly's red: light text
  });
});
