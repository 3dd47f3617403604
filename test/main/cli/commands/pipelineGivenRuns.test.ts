// `evgap pipeline --step1-run R --step2-run R [--step2-random-run R]`: both runs or neither, ids checked as flags.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../main/cli/commandLine';
import { givenRuns } from '../../../../main/cli/commands/pipeline';

describe('givenRuns', () => {
  it('reads the runs to evaluate, or none', () => {
    expect(givenRuns({})).toBeUndefined();
    expect(givenRuns({ 'step1-run': '3', 'step2-run': '4' })).toEqual({ step1: 3, step2: 4 });
    expect(givenRuns({ 'step1-run': '3', 'step2-run': '4', 'step2-random-run': '7' })).toEqual({ step1: 3, step2: 4, step2FromRandom: 7 });
  });

  it('refuses one run without the other, a random-init run alone and ids that are not run ids', () => {
    expect(() => givenRuns({ 'step1-run': '3' })).toThrow(new UsageError('give both --step1-run and --step2-run (the runs to evaluate)', 'pipeline'));
    expect(() => givenRuns({ 'step2-random-run': '7' })).toThrow(UsageError);
    expect(() => givenRuns({ 'step1-run': '0', 'step2-run': '4' })).toThrow(/--step1-run: expected an integer from 1/);
    expect(() => givenRuns({ 'step1-run': 'x', 'step2-run': '4' })).toThrow(UsageError);
  });
});
