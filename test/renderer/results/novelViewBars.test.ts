// The novel-view chart: per held-out view, Base and +EVGAP on Avg with their Δ.
import { describe, expect, it } from 'vitest';
import type { EvaluationRow } from '../../../contract/api';
import { novelViewBars } from '../../../renderer/src/screens/results/novelViewBars';
import { resultTables } from '../../../renderer/src/screens/results/resultTables';

const row = (view: string | null, variant: string, metric: string, value: number): EvaluationRow => ({
  runId: 1,
  task: 'novel-view',
  view,
  variant,
  metric,
  value,
});

describe('novelViewBars', () => {
  it('plots Avg of Base and +EVGAP per held-out view, the mean left out', () => {
    const [table] = resultTables([
      row('v1', 'Base', 'Edit', 20),
      row('v1', 'Base', 'Avg', 28),
      row('v1', '+EVGAP', 'Avg', 30.1),
      row('e1', 'Base', 'Avg', 30),
      row('e1', '+EVGAP', 'Avg', 29),
      row('mean', 'Base', 'Avg', 29),
      row('mean', '+EVGAP', 'Avg', 29.55),
    ]);
    const bars = novelViewBars(table!);
    expect(bars).toMatchObject({ metric: 'Avg', views: ['e1', 'v1'], base: [30, 28], evgap: [29, 30.1], evgapLabel: '+EVGAP' });
    expect(bars!.deltas.map((d) => d?.text)).toEqual(['−1.0', '+2.1']);
  });

  it('is null without a view that has both Base and another variant', () => {
    const [table] = resultTables([row('e1', 'Base', 'Avg', 30)]);
    expect(novelViewBars(table!)).toBeNull();
  });
});
