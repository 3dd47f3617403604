// Long shell tasks show their progress as a fraction for the progress bar and in the window title.
import { describe, expect, it } from 'vitest';
import { progressFraction, progressTitle } from '../../../main/electron/taskProgress';

describe('progressFraction', () => {
  it('is done/total, clamped to [0, 1]', () => {
    expect(progressFraction({ done: 3, total: 4 })).toBe(0.75);
    expect(progressFraction({ done: 5, total: 4 })).toBe(1);
    expect(progressFraction({ done: -1, total: 4 })).toBe(0);
  });

  it('is indeterminate (2) while the total is unknown', () => {
    expect(progressFraction({ done: 0, total: 0 })).toBe(2);
    expect(progressFraction({ done: 1, total: Number.NaN })).toBe(2);
  });
});

describe('progressTitle', () => {
  it('names the task, the percentage and what is being done', () => {
    expect(progressTitle('EVGAP Studio', 'Importing Assembly101', { done: 21, total: 50, what: 'P01 view 3' })).toBe(
      'EVGAP Studio — Importing Assembly101: 42% (P01 view 3)',
    );
  });

  it('says only the task before the first report, and shortens long details', () => {
    expect(progressTitle('EVGAP Studio', 'Generating the demo dataset', null)).toBe('EVGAP Studio — Generating the demo dataset…');
    const title = progressTitle('A', 'T', { done: 0, total: 0, what: 'x'.repeat(200) });
    expect(title).toMatch(/^A — T \(x+…\)$/);
    expect(title.length).toBeLessThan(80);
  });
});
