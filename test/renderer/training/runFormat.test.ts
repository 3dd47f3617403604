// How runs read: the controls each status allows, times in UTC, durations.
import { describe, expect, it } from 'vitest';
import { formatDuration, formatShortTime, formatTime, plannedSteps, ranElsewhere, runActions, runLabel, runSeconds } from '../../../renderer/src/screens/training/runFormat';

describe('runActions', () => {
  it('offers pause and cancel while running, resume and cancel while paused, nothing once ended', () => {
    expect(runActions('running')).toEqual(['pause', 'cancel']);
    expect(runActions('paused')).toEqual(['resume', 'cancel']);
    expect(runActions('queued')).toEqual(['cancel']);
    for (const status of ['completed', 'failed', 'cancelled'] as const) expect(runActions(status)).toEqual([]);
  });
});

describe('run times', () => {
  const run = { startedAt: '2026-11-29T18:00:00.000Z', finishedAt: '2026-11-29T18:03:05.400Z' };

  it('formats timestamps in UTC and a missing one as a dash', () => {
    expect(formatTime(run.startedAt)).toBe('2026-11-29 18:00:00');
    expect(formatTime(null)).toBe('—');
    expect(formatShortTime(run.startedAt)).toBe('11-29 18:00:00');
    expect(formatShortTime(null)).toBe('—');
  });

  it('measures a finished run to its end and a running one to now', () => {
    expect(runSeconds(run, new Date('2030-01-01T00:00:00Z'))).toBeCloseTo(185.4);
    expect(runSeconds({ ...run, finishedAt: null }, new Date('2026-11-29T18:00:42Z'))).toBe(42);
    expect(runSeconds({ startedAt: null, finishedAt: null }, new Date())).toBeNull();
  });

  it('formats durations in seconds, minutes or hours', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185.4)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('labels a run by id and kind', () => {
    expect(runLabel({ id: 7, kind: 'pretrain-step1' })).toBe('#7 pretrain-step1');
    expect(runLabel({ id: 7, kind: 'pretrain-step1', name: 'lr 1e-3' })).toBe('#7 lr 1e-3');
    expect(runLabel({ id: 7, kind: 'pretrain-step1', name: null })).toBe('#7 pretrain-step1');
  });
});

describe('plannedSteps', () => {
  it('reads the length of the run’s own step from its stored config', () => {
    const config = { step1: { steps: 300 }, step2: { steps: 150 } };
    expect(plannedSteps({ kind: 'pretrain-step1', config })).toBe(300);
    expect(plannedSteps({ kind: 'pretrain-step2', config })).toBe(150);
    expect(plannedSteps({ kind: 'pretrain-step1', config: null })).toBeNull();
    expect(plannedSteps({ kind: 'pretrain-step1', config: { step1: { steps: 'many' } } })).toBeNull();
  });
});

describe('ranElsewhere', () => {
  it('says where an imported PyTorch run ran, and nothing for the app’s own runs', () => {
    const details = 'PyTorch 1.13.0, 2 processes on cpu (gloo), host node01';
    expect(ranElsewhere({ backend: 'pytorch', backendReport: { backend: 'pytorch', details } })).toBe(details);
    expect(ranElsewhere({ backend: 'pytorch', backendReport: null })).toBeNull();
    expect(ranElsewhere({ backend: 'wasm', backendReport: { backend: 'wasm', details: 'WebAssembly with SIMD' } })).toBeNull();
  });
});
