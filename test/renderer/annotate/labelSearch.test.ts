import { describe, expect, it } from 'vitest';
import { searchLabels } from '../../../renderer/src/screens/scene/annotate/labelSearch';

const labels = ['take wheel', 'screw wheel', 'take bolt', 'wheel check'].map((label) => ({ label }));

describe('label search', () => {
  it('finds labels holding every typed word, those starting with the query first', () => {
    expect(searchLabels(labels, 'wheel').matches.map((l) => l.label)).toEqual(['wheel check', 'take wheel', 'screw wheel']);
    expect(searchLabels(labels, 'WHEEL take').matches.map((l) => l.label)).toEqual(['take wheel']);
    expect(searchLabels(labels, '').matches).toHaveLength(4);
  });

  it('offers the typed text as a new label unless it already exists', () => {
    expect(searchLabels(labels, '  inspect   arm ').newLabel).toBe('inspect arm');
    expect(searchLabels(labels, 'take bolt').newLabel).toBeNull();
    expect(searchLabels(labels, '   ').newLabel).toBeNull();
  });
});
