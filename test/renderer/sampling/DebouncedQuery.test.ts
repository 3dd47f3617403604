import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DebouncedQuery } from '../../../renderer/src/screens/scene/sampling/DebouncedQuery';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function harness(answerAfter: (n: number) => number) {
  const asked: number[] = [];
  const answers: string[] = [];
  const errors: string[] = [];
  const busy: boolean[] = [];
  const query = new DebouncedQuery<number, string>({
    delayMs: 300,
    query: (n) => {
      asked.push(n);
      return new Promise((resolve, reject) =>
        setTimeout(() => (n < 0 ? reject(new Error(`bad ${n}`)) : resolve(`answer ${n}`)), answerAfter(n)),
      );
    },
    onAnswer: (answer) => answers.push(answer),
    onError: (error) => errors.push((error as Error).message),
    onBusy: (b) => busy.push(b),
  });
  return { query, asked, answers, errors, busy };
}

describe('debounced query', () => {
  it('asks once after the quiet time, with the latest arguments', async () => {
    const { query, asked, answers, busy } = harness(() => 10);
    query.ask(1);
    await vi.advanceTimersByTimeAsync(200);
    query.ask(2);
    await vi.advanceTimersByTimeAsync(299);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(11);
    expect(asked).toEqual([2]);
    expect(answers).toEqual(['answer 2']);
    expect(busy.at(-1)).toBe(false);
  });

  it('drops an answer that arrives after a newer question', async () => {
    const { query, answers } = harness((n) => (n === 1 ? 1000 : 10));
    query.ask(1);
    await vi.advanceTimersByTimeAsync(300);
    query.ask(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(answers).toEqual(['answer 2']);
  });

  it('passes errors of the latest question on, and cancel drops everything', async () => {
    const { query, errors, answers } = harness(() => 10);
    query.ask(-1);
    await vi.advanceTimersByTimeAsync(400);
    expect(errors).toEqual(['bad -1']);
    query.ask(3);
    await vi.advanceTimersByTimeAsync(305);
    query.cancel();
    await vi.advanceTimersByTimeAsync(100);
    expect(answers).toEqual([]);
  });
});
