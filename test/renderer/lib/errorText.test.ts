// A run's stored failure reason as the page shows it: the error's class name dropped, the stage and message kept.
import { describe, expect, it } from 'vitest';
import { runErrorText } from '../../../renderer/src/lib/errorText';

describe('runErrorText', () => {
  it('drops the class name after a pipeline stage', () => {
    expect(runErrorText('ablation: ArgumentError: cannot read checkpoint file /tmp/x: ENOENT')).toBe('ablation: cannot read checkpoint file /tmp/x: ENOENT');
  });

  it('drops a leading class name of a training run', () => {
    expect(runErrorText('TrainingDataError: scene s1 has no exo view')).toBe('scene s1 has no exo view');
    expect(runErrorText('RangeError: Invalid array length')).toBe('Invalid array length');
  });

  it('leaves a reason without a class name as it is', () => {
    expect(runErrorText('cancelled at step 40')).toBe('cancelled at step 40');
    expect(runErrorText('segmentation: scene s1: frame 3 is in no segment')).toBe('segmentation: scene s1: frame 3 is in no segment');
  });
});
