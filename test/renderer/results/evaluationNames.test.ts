// Evaluation names mapped onto the publication's tables: tasks, metric spellings, variants and their order.
import { describe, expect, it } from 'vitest';
import { isBaseVariant, isProtocolView, parseMetric, taskKind, variantLabel, variantRank } from '../../../renderer/src/screens/results/evaluationNames';

describe('taskKind', () => {
  it('recognizes each task under its usual spellings', () => {
    expect(taskKind('retrieval')).toBe('retrieval');
    expect(taskKind('cross-view retrieval')).toBe('retrieval');
    expect(taskKind('segmentation')).toBe('segmentation');
    expect(taskKind('TAS')).toBe('segmentation');
    expect(taskKind('anticipation')).toBe('anticipation');
    expect(taskKind('novel-view')).toBe('novelView');
    expect(taskKind('segmentation.novel_view')).toBe('novelView');
    expect(taskKind('ablation')).toBe('ablation');
    expect(taskKind('something else')).toBe('other');
  });
});

describe('parseMetric', () => {
  it('gives segmentation metrics their canonical labels in the publication’s order', () => {
    const labels = ['acc', 'F1@50', 'f1_10', 'Edit', 'F1@25', 'avg'].map((m) => parseMetric(m));
    expect(labels.map((m) => m.label)).toEqual(['Acc', 'F1@50', 'F1@10', 'Edit', 'F1@25', 'Avg']);
    expect(labels.sort((a, b) => a.order - b.order).map((m) => m.label)).toEqual(['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg']);
  });

  it('splits a retrieval metric into direction, chance and label; median rank is lower-better', () => {
    expect(parseMetric('egoToExo.R@1')).toMatchObject({ direction: 'ego→exo', chance: false, label: 'R@1', lowerIsBetter: false });
    expect(parseMetric('exo→ego chance recall@10')).toMatchObject({ direction: 'exo→ego', chance: true, label: 'R@10' });
    expect(parseMetric('ego2exo_median_rank')).toMatchObject({ direction: 'ego→exo', label: 'MedR', lowerIsBetter: true });
  });

  it('reads anticipation’s Top-5 recall per verb, object and action', () => {
    expect(['top5_verb', 'Top-5 recall (noun)', 'recall@5.action'].map((m) => parseMetric(m).label)).toEqual(['Verb', 'Object', 'Action']);
  });

  it('keeps an unknown metric under its own name, after the known ones', () => {
    expect(parseMetric('frames')).toMatchObject({ label: 'frames', order: 13, direction: null, chance: false });
  });
});

describe('variants', () => {
  it('know the baseline and order the ablation like Table 1', () => {
    expect(isBaseVariant('Base')).toBe(true);
    expect(isBaseVariant('+EVGAP')).toBe(false);
    const variants = ['EVGAP', '+step1+step2', 'chance', '+step2', 'EVGAP*', '+random', 'Base', '+step1'];
    expect([...variants].sort((a, b) => variantRank(a) - variantRank(b))).toEqual([
      'Base', '+random', '+step1', '+step2', '+step1+step2', 'EVGAP*', 'EVGAP', 'chance',
    ]);
  });
});

describe('variantLabel and isProtocolView', () => {
  it('names the pipeline’s variants as the tables show them', () => {
    expect(variantLabel('raw', 'retrieval')).toBe('Base');
    expect(variantLabel('step2', 'retrieval')).toBe('+EVGAP (step 1+2)');
    expect(variantLabel('step2', 'ablation')).toBe('+step2');
    expect(variantLabel('step1+step2', 'segmentation')).toBe('+step1+step2');
    expect(variantLabel('evgap', 'anticipation')).toBe('+EVGAP');
    expect(variantLabel('my variant', 'other')).toBe('my variant');
  });

  it('tells input protocols from held-out views', () => {
    expect(['single-view', 'two-view', 'Two view'].map(isProtocolView)).toEqual([true, true, true]);
    expect(['e1', 'v3', null].map(isProtocolView)).toEqual([false, false, false]);
  });
});
