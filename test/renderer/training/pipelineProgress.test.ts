// The pipeline's progress: stages marked done as later ones start, and the whole pipeline's fraction.
import { describe, expect, it } from 'vitest';
import { applyPipelineEvent } from '../../../renderer/src/screens/training/pipelineProgress';

const event = (stage: string, stageIndex: number, fraction: number, runId = 1) => ({
  runId,
  stage,
  stageIndex,
  stages: 4,
  message: `${stage} ${fraction}`,
  fraction,
});

describe('applyPipelineEvent', () => {
  it('marks earlier stages done and the latest current, with the overall fraction', () => {
    let progress = applyPipelineEvent(null, event('step1', 0, 0.5));
    expect(progress.overall).toBeCloseTo(0.125);
    progress = applyPipelineEvent(progress, event('step1', 0, 1));
    progress = applyPipelineEvent(progress, event('step2', 1, 0.5));
    expect(progress.stages).toEqual([
      { name: 'step1', index: 0, state: 'done' },
      { name: 'step2', index: 1, state: 'current' },
    ]);
    expect(progress.overall).toBeCloseTo(0.375);
    expect(progress.message).toBe('step2 0.5');
  });

  it('starts over for another pipeline run and clamps odd fractions', () => {
    const first = applyPipelineEvent(null, event('step1', 0, 1));
    const other = applyPipelineEvent(first, event('retrieval', 3, 7, 2));
    expect(other.stages).toEqual([{ name: 'retrieval', index: 3, state: 'current' }]);
    expect(other.stageFraction).toBe(1);
    expect(other.overall).toBe(1);
  });
});
