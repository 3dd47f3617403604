// The pipeline's settings: a preset's values, overrides merged per section, and every setting checked up front so
// that a bad one fails before the pipeline creates its run.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import { pipelineSettings } from '../../../main/pipeline/settings';

describe('pipelineSettings', () => {
  it('gives the demo its CPU-sized heads, quick mode its tiny training, paper the published heads', () => {
    expect(pipelineSettings('demo', false).segmentation).toMatchObject({ heads: ['c2f-tcn'], headPreset: 'cpu', head: { epochs: 12 }, encoderMode: 'evgap-frozen' });
    expect(pipelineSettings('demo', true).training.step1).toMatchObject({ steps: 24 });
    expect(pipelineSettings('demo', true).segmentation.head).toEqual({ epochs: 1 });
    expect(pipelineSettings('paper', false).segmentation).toMatchObject({ heads: ['c2f-tcn', 'asformer', 'ltcontext'], headPreset: 'paper', encoderMode: 'evgap' });
    expect(pipelineSettings('demo', false, { segmentation: { heads: ['ltcontext', 'asformer'] } }).segmentation.heads).toEqual(['ltcontext', 'asformer']);
  });

  it('merges overrides section by section without changing the preset', () => {
    const settings = pipelineSettings('demo', false, { segmentation: { trainViewsPerScene: 3 }, step2FromRandomSteps: 5 });
    expect(settings.segmentation).toMatchObject({ trainViewsPerScene: 3, headPreset: 'cpu', head: { epochs: 12 } });
    expect(settings.step2FromRandomSteps).toBe(5);
    expect(pipelineSettings('demo', false).segmentation.trainViewsPerScene).toBe(2);
  });

  it.each([
    [{ step2FromRandomSteps: 0 }, 'expected step2FromRandomSteps to be an integer >= 1, got 0'],
    [{ segmentation: { trainViewsPerScene: 1.5 } }, 'expected segmentation.trainViewsPerScene to be an integer >= 1, got 1.5'],
    [{ segmentation: { head: { kernelSize: 4 } } }, 'expected an odd kernelSize (same-length convolutions), got 4'],
    [{ anticipation: { epochs: 0 } }, 'expected epochs to be an integer >= 1, got 0'],
    [{ heads: 1 }, 'unexpected pipeline setting heads'],
    [{ segmentation: { heads: [] } }, 'expected segmentation.heads to list at least one of c2f-tcn, asformer, ltcontext, got []'],
    [{ segmentation: { heads: ['tcn'] } }, `expected a segmentation head 'c2f-tcn', 'asformer', 'ltcontext', got "tcn"`],
    [{ segmentation: { heads: ['asformer', 'asformer'] } }, 'expected segmentation.heads without repeats, got ["asformer","asformer"]'],
    [{ segmentation: { heads: ['asformer'], headOverrides: { asformer: { windowSize: 8 } } } }, 'unexpected asformer setting windowSize'],
    [{ segmentation: { compare: ['evgap', 'raw'] } }, `expected segmentation.compare to list distinct inputs of 'evgap-frozen', 'evgap', got ["evgap","raw"]`],
  ])('rejects %j', (overrides, message) => {
    expect(() => pipelineSettings('demo', false, overrides as never)).toThrow(new ArgumentError(message));
  });
});
