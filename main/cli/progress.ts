// A small progress printer for long CLI commands: on a terminal it redraws one line with a bar; elsewhere (logs,
// pipes, tests) it prints a plain line now and then, so the output stays readable.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  update(done: number, total: number, what: string): void;
  /** Ends the redrawn line on a terminal; call it before printing anything else. */
  finish(): void;
}

const BAR_WIDTH = 24;
/** Non-terminal output prints at most this many lines per task. */
const PLAIN_STEPS = 10;

export function progressPrinter(stream: ProgressStream, label: string): Progress {
  let printedStep = -1;
  let lineOpen = false;
  let shownLine = '';

  const percent = (done: number, total: number) => (total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100);

  return {
    update(done, total, what) {
      const pct = percent(done, total);
      if (stream.isTTY) {
        const filled = Math.round((pct / 100) * BAR_WIDTH);
        const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
        const line = `${label} [${bar}] ${String(pct).padStart(3)}% ${what}`;
        const width = Math.max(20, (stream.columns || 80) - 1);
        const shown = line.slice(0, width).padEnd(width);
        if (shown === shownLine) return;
        shownLine = shown;
        stream.write(`\r${shown}`);
        lineOpen = true;
        return;
      }
      const step = Math.floor((pct / 100) * PLAIN_STEPS);
      if (step > printedStep) {
        printedStep = step;
        stream.write(`${label}: ${pct}% (${done}/${total}) ${what}\n`);
      }
    },
    finish() {
      if (lineOpen) stream.write('\n');
      lineOpen = false;
    },
  };
}
