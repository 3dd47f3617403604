import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave, type SaveStatus } from '../../../renderer/src/screens/scene/annotate/Autosave';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function harness() {
  const saved: string[] = [];
  const statuses: SaveStatus['state'][] = [];
  const pending: ReturnType<typeof deferred>[] = [];
  const autosave = new Autosave<string>({
    delayMs: 500,
    save: (value) => {
      saved.push(value);
      const d = deferred();
      pending.push(d);
      return d.promise;
    },
    onStatus: (status) => statuses.push(status.state),
    describeError: (error) => (error instanceof Error ? error.message : String(error)),
  });
  return { autosave, saved, statuses, pending };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('saves only the latest value after the quiet time', async () => {
    const { autosave, saved, pending } = harness();
    autosave.schedule('a');
    await vi.advanceTimersByTimeAsync(300);
    autosave.schedule('b');
    await vi.advanceTimersByTimeAsync(499);
    expect(saved).toEqual([]);
    expect(autosave.status.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual(['b']);
    expect(autosave.status.state).toBe('saving');
    pending[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.status.state).toBe('saved');
    expect(autosave.dirty).toBe(false);
  });

  it('runs one save at a time and saves a change made during a save right after it', async () => {
    const { autosave, saved, pending } = harness();
    autosave.schedule('a');
    await vi.advanceTimersByTimeAsync(500);
    autosave.schedule('b');
    await vi.advanceTimersByTimeAsync(500);
    expect(saved).toEqual(['a']);
    pending[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual(['a', 'b']);
    pending[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.status.state).toBe('saved');
  });

  it('reports a failed save with its reason and stays dirty until a retry succeeds', async () => {
    const { autosave, saved, pending } = harness();
    autosave.schedule('a');
    await vi.advanceTimersByTimeAsync(500);
    pending[0]!.reject(new Error('the catalog is locked'));
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.status).toEqual({ state: 'failed', reason: 'the catalog is locked' });
    expect(autosave.dirty).toBe(true);
    const retried = autosave.retry('a');
    pending[1]!.resolve();
    await retried;
    expect(saved).toEqual(['a', 'a']);
    expect(autosave.status.state).toBe('saved');
  });

  it('flush saves a waiting change at once and resolves when it is stored', async () => {
    const { autosave, saved, pending } = harness();
    autosave.schedule('a');
    const flushed = autosave.flush();
    expect(saved).toEqual(['a']);
    pending[0]!.resolve();
    await flushed;
    expect(autosave.status.state).toBe('saved');
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual(['a']);
  });
});
