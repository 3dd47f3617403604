// @vitest-environment jsdom
// The novel-view bars start at zero, so bar lengths compare honestly (the Δ says the difference), and leave room
// above the tallest bar for its ±std whisker.
import { describe, expect, it } from 'vitest';
import type { NovelViewRow, NovelViewSection, SeedStat } from '../../../contract/report';
import { barChartOptions } from '../../../renderer/src/screens/results/barChart.svelte';

const stat = (values: number[]): SeedStat => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, std, n: values.length, values };
};
const row = (view: string, base: number[], evgap: number[]) => ({ view, role: 'exo', base: { avg: stat(base) }, evgap: { avg: stat(evgap) } }) as unknown as NovelViewRow;

describe('novel-view bar chart', () => {
  it('draws the value axis from zero, up to the tallest bar plus its whisker', () => {
    const section: NovelViewSection = { seeds: [1, 2, 3], heldOutViews: ['e1', 'e2'], head: 'C2F-TCN', rows: [row('e1', [30, 31, 32], [33, 35, 37]), row('e2', [20, 21, 22], [24, 24, 24])] };
    const options = barChartOptions(section);
    expect(options.scales?.['y']).toMatchObject({ beginAtZero: true, min: 0 });
    expect((options.scales?.['y'] as { suggestedMax: number }).suggestedMax).toBeCloseTo(35 + 2, 9);
  });
});
