// Tests of the anticipation settings: the two presets, overrides and their checks, and the authors' StepLR
// learning rate per epoch.
import { describe, expect, it } from 'vitest';
import { epochLearningRate, resolveAnticipationConfig } from '../../../../main/eval/anticipation/config';

describe('anticipation settings', () => {
  it('has the Assembly101 TempAgg recipe as `paper` and a small network with the same sampling as `cpu`', () => {
    const paper = resolveAnticipationConfig({ preset: 'paper' });
    expect(paper).toMatchObject({
      spanningSeconds: 6,
      spanningGranularities: [5, 3, 2],
      recentSeconds: [1.6, 1.2, 0.8, 0.4],
      recentSnippets: 2,
      inputProjection: 0,
      latentDim: 512,
      linearDim: 512,
      dropout: 0.3,
      pastAttention: true,
      nonLocalAttention: 'latent',
      epochs: 15,
      batchSize: 32,
      lr: 1e-4,
    });
    const cpu = resolveAnticipationConfig();
    expect(cpu.preset).toBe('cpu');
    expect(cpu.inputProjection).toBeGreaterThan(0);
    expect(cpu.recentSeconds).toEqual([1.6, 0.8]);
    expect([cpu.anticipationSeconds, cpu.minObservedSeconds, cpu.spanningSeconds, cpu.spanningGranularities]).toEqual([1, 2, 6, [5, 3, 2]]);
    expect(resolveAnticipationConfig({ preset: 'paper', epochs: 3 }).epochs).toBe(3);
  });

  it('refuses unknown presets and settings and out-of-range values, naming them', () => {
    expect(() => resolveAnticipationConfig({ preset: 'huge' as never })).toThrow(/expected anticipation preset 'cpu' or 'paper', got "huge"/);
    expect(() => resolveAnticipationConfig({ hiddenDim: 3 } as never)).toThrow(/unexpected anticipation setting hiddenDim/);
    expect(() => resolveAnticipationConfig({ recentSnippets: 0 })).toThrow(/expected recentSnippets to be an integer >= 1, got 0/);
    expect(() => resolveAnticipationConfig({ nonLocalAttention: 'time' as never })).toThrow(/expected nonLocalAttention to be one of 'latent', 'feature'/);
    expect(() => resolveAnticipationConfig({ dropout: 1 })).toThrow(/expected dropout in \[0, 1\), got 1/);
    expect(() => resolveAnticipationConfig({ spanningGranularities: [] })).toThrow(/expected spanningGranularities to be a non-empty list/);
  });

  it('steps the learning rate down as the authors’ loop does (StepLR stepped at each epoch’s start)', () => {
    const paper = resolveAnticipationConfig({ preset: 'paper' });
    const rates = [1, 9, 10, 15, 19, 20].map((epoch) => Number(epochLearningRate(paper, epoch).toPrecision(12)));
    expect(rates).toEqual([1e-4, 1e-4, 1e-5, 1e-5, 1e-5, 1e-6]);
  });
});
