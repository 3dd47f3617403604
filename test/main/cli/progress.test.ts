// The CLI progress printer on a terminal (one redrawn line) and elsewhere (a few plain lines).
import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../../main/cli/progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 60, write: (text: string) => writes.push(text) };
}

describe('progressPrinter', () => {
  it('redraws one line on a terminal and ends it on finish', () => {
    const out = stream(true);
    const progress = progressPrinter(out, 'demo');
    progress.update(1, 4, 'scene 1');
    progress.update(4, 4, 'scene 4');
    progress.finish();
    expect(out.writes).toHaveLength(3);
    expect(out.writes[0]).toMatch(/^\rdemo \[#{6}-{18}\]  25% scene 1 *$/);
    expect(out.writes[1]).toMatch(/^\rdemo \[#{24}\] 100% scene 4/);
    expect(out.writes[0]!.length).toBe(60);
    expect(out.writes[2]).toBe('\n');
  });

  it('prints at most one plain line per tenth elsewhere', () => {
    const out = stream(false);
    const progress = progressPrinter(out, 'demo');
    for (let done = 0; done <= 1000; done++) progress.update(done, 1000, `item ${done}`);
    progress.finish();
    expect(out.writes).toHaveLength(11);
    expect(out.writes[0]).toBe('demo: 0% (0/1000) item 0\n');
    expect(out.writes.at(-1)).toBe('demo: 100% (1000/1000) item 1000\n');
  });
});
