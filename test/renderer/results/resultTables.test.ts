// Evaluation rows pivoted into the publication's tables: columns in order, Base first, Δ against Base per view,
// chance as its own row, summary rows before per-view rows, nothing dropped.
import { describe, expect, it } from 'vitest';
import type { EvaluationRow } from '../../../contract/api';
import { novelViewBars } from '../../../renderer/src/screens/results/novelViewBars';
import { resultTables } from '../../../renderer/src/screens/results/resultTables';

const row = (task: string, variant: string | null, metric: string, value: number, view: string | null = null): EvaluationRow => ({
  runId: 1,
  task,
  view,
  variant,
  metric,
  value,
});

const tas = (variant: string, values: number[], view: string | null = null) =>
  ['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg'].map((metric, i) => row('segmentation', variant, metric, values[i]!, view));

describe('resultTables', () => {
  it('lays segmentation out as F1@{10,25,50}, Edit, Acc, Avg with Base first and Δ for +EVGAP', () => {
    const [table] = resultTables([...tas('+EVGAP', [40, 35, 25, 30, 40, 34]), ...tas('Base', [38, 35, 26, 29.5, 40, 33.7])]);
    expect(table!.kind).toBe('segmentation');
    expect(table!.columns.map((c) => c.label)).toEqual(['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg']);
    const [base, evgap] = table!.groups[0]!.rows;
    expect(base).toMatchObject({ variant: 'Base', label: 'Base', role: 'base' });
    expect(base!.cells.every((c) => c.delta === null)).toBe(true);
    expect(evgap!.cells.map((c) => c.delta?.tone)).toEqual(['better', 'same', 'worse', 'better', 'same', 'better']);
    expect(evgap!.cells[0]!.delta!.text).toBe('+2.0');
    expect(evgap!.cells[2]!.delta!.text).toBe('−1.0');
  });

  it('orders tables retrieval, segmentation, anticipation, novel view, then the rest', () => {
    const tables = resultTables([
      row('zeta', 'Base', 'x', 1),
      row('novel-view', 'Base', 'Avg', 1, 'e1'),
      row('anticipation', 'Base', 'top5_verb', 1, 'Ego'),
      row('segmentation', 'Base', 'Avg', 1),
      row('retrieval', 'Base', 'egoToExo.R@1', 1),
    ]);
    expect(tables.map((t) => t.kind)).toEqual(['retrieval', 'segmentation', 'anticipation', 'novelView', 'other']);
    expect(tables[4]!.title).toBe('Other results: zeta');
  });

  it('groups retrieval columns by direction, makes chance a row, and colours a lower median rank as better', () => {
    const [table] = resultTables([
      row('retrieval', 'Base', 'egoToExo.medianRank', 10),
      row('retrieval', '+EVGAP', 'egoToExo.medianRank', 4),
      row('retrieval', 'Base', 'exoToEgo.R@1', 10),
      row('retrieval', '+EVGAP', 'exoToEgo.R@1', 20),
      row('retrieval', 'Base', 'egoToExo.R@1', 11),
      row('retrieval', '+EVGAP', 'egoToExo.R@1', 9),
      row('retrieval', 'Base', 'egoToExo.chance_R@1', 5),
    ]);
    expect(table!.columns.map((c) => c.key)).toEqual(['ego→exo R@1', 'ego→exo MedR', 'exo→ego R@1']);
    const rows = table!.groups[0]!.rows;
    expect(rows.map((r) => [r.variant, r.role])).toEqual([['Base', 'base'], ['+EVGAP', 'variant'], ['chance', 'chance']]);
    expect(rows[1]!.cells.map((c) => c.delta?.tone)).toEqual(['worse', 'better', 'better']);
    expect(rows[2]!.cells.map((c) => c.value)).toEqual([5, null, null]);
    expect(rows[2]!.cells.every((c) => c.delta === null)).toBe(true);
  });

  it('puts the mean over views first, then views in natural order, each with its own Δ', () => {
    const [table] = resultTables([
      row('retrieval', 'Base', 'R@1', 1, 'e1→v10'),
      row('retrieval', 'EVGAP', 'R@1', 3, 'e1→v10'),
      row('retrieval', 'Base', 'R@1', 2, 'e1→v2'),
      row('retrieval', 'EVGAP', 'R@1', 1, 'e1→v2'),
      row('retrieval', 'Base', 'R@1', 1.5, 'mean'),
      row('retrieval', 'EVGAP', 'R@1', 2, 'mean'),
    ]);
    expect(table!.groups.map((g) => [g.view, g.summary])).toEqual([['mean', true], ['e1→v2', false], ['e1→v10', false]]);
    expect(table!.groups.map((g) => g.rows[1]!.cells[0]!.delta!.text)).toEqual(['+0.5', '−1.0', '+2.0']);
  });

  it('orders anticipation inputs Ego, Exo, Ego+Exo as the publication does', () => {
    const [table] = resultTables(['Ego+Exo', 'Exo', 'Ego'].map((view) => row('anticipation', 'Base', 'top5_verb', 1, view)));
    expect(table!.groups.map((g) => g.view)).toEqual(['Ego', 'Exo', 'Ego+Exo']);
  });

  it('shows a whole table at one precision and leaves Δ out next to a missing value', () => {
    const [table] = resultTables([
      row('segmentation', 'Base', 'F1@50', 0.2),
      row('segmentation', 'EVGAP', 'F1@50', 0.5),
      row('segmentation', 'Base', 'Avg', 30),
      row('segmentation', 'EVGAP', 'Avg', null as unknown as number),
    ]);
    expect(table!.decimals).toBe(1);
    expect(table!.groups[0]!.rows[1]!.cells).toEqual([
      { value: 0.5, delta: { value: 0.3, tone: 'better', text: '+0.3' } },
      { value: null, delta: null },
    ]);
  });

  it('leaves Δ out where the view has no Base value', () => {
    const [table] = resultTables([row('anticipation', '+EVGAP', 'top5_action', 30, 'Ego+Exo')]);
    expect(table!.groups[0]!.rows[0]!.cells[0]).toEqual({ value: 30, delta: null });
  });
});

describe('resultTables on the pipeline’s rows (main/pipeline/resultRows.ts)', () => {
  const scores = (task: string, view: string, variant: string, avg: number) =>
    ['f1_10', 'f1_25', 'f1_50', 'edit', 'acc', 'avg'].map((metric) => row(task, variant, metric, avg, view));
  const rows = [
    ...['raw', 'step1', 'step2', 'chance'].flatMap((variant, i) => [
      row('retrieval', variant, 'ego2exo.R@1', 10 + i, 'mean'),
      row('retrieval', variant, 'ego2exo.medianRank', 20 - i, 'mean'),
      row('retrieval', variant, 'exo2ego.R@1', 11 + i, 'mean'),
    ]),
    row('retrieval', 'raw', 'ego2exo.R@1', 9, 'e1-v1'),
    row('retrieval', 'step2', 'ego2exo.R@1', 12, 'e1-v1'),
    ...scores('segmentation', 'e1', 'base', 30),
    ...scores('segmentation', 'e1', 'evgap', 32),
    ...scores('segmentation', 'v1', 'base', 30),
    ...scores('segmentation', 'v1', 'evgap', 29),
    ...scores('segmentation', 'single-view', 'base', 30.3),
    ...scores('segmentation', 'single-view', 'step1+step2', 31.2),
    ...scores('segmentation', 'two-view', 'base', 29.7),
    ...scores('segmentation', 'two-view', 'step1+step2', 31.6),
    ...['ego+exo', 'ego', 'exo'].flatMap((view) =>
      ['base', 'evgap'].flatMap((variant) => ['verb', 'object', 'action', 'avg'].map((metric) => row('anticipation', variant, metric, variant === 'base' ? 30.3 : 31.9, view))),
    ),
    ...['base', 'random', 'step1', 'step2', 'step1+step2'].flatMap((variant) => scores('ablation', 'single-view', variant, 30)),
  ];
  const tables = resultTables(rows);
  const byKind = (kind: string) => tables.find((t) => t.kind === kind)!;

  it('makes retrieval, segmentation, anticipation, novel-view and ablation tables', () => {
    expect(tables.map((t) => t.kind)).toEqual(['retrieval', 'segmentation', 'anticipation', 'novelView', 'ablation']);
  });

  it('lays retrieval out per direction with Base, both EVGAP steps and chance, the pairs folded under the mean', () => {
    const retrieval = byKind('retrieval');
    expect(retrieval.columns.map((c) => c.key)).toEqual(['ego→exo R@1', 'ego→exo MedR', 'exo→ego R@1']);
    expect(retrieval.groups.map((g) => [g.view, g.summary])).toEqual([['mean', true], ['e1-v1', false]]);
    expect(retrieval.groups[0]!.rows.map((r) => [r.label, r.role])).toEqual([
      ['Base', 'base'],
      ['+EVGAP (step 1)', 'variant'],
      ['+EVGAP (step 1+2)', 'variant'],
      ['chance', 'chance'],
    ]);
    expect(retrieval.groups[0]!.rows[2]!.cells.map((c) => c.delta?.text)).toEqual(['+2.0', '−2.0', '+2.0']);
    expect(retrieval.groups[0]!.rows[2]!.cells.map((c) => c.delta?.tone)).toEqual(['better', 'better', 'better']);
  });

  it('keeps the single- and two-view protocols in the segmentation table and moves held-out views to the novel-view table', () => {
    const segmentation = byKind('segmentation');
    expect(segmentation.columns.map((c) => c.label)).toEqual(['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg']);
    expect(segmentation.groups.map((g) => g.view)).toEqual(['single-view', 'two-view']);
    expect(segmentation.groups[1]!.rows.map((r) => [r.label, r.cells[5]!.delta?.text ?? null])).toEqual([['Base', null], ['+step1+step2', '+1.9']]);
    const novel = byKind('novelView');
    expect(novel.groups.map((g) => g.view)).toEqual(['e1', 'v1']);
    expect(novelViewBars(novel)).toMatchObject({ metric: 'Avg', views: ['e1', 'v1'], base: [30, 30], evgap: [32, 29], evgapLabel: '+EVGAP' });
  });

  it('orders anticipation inputs ego, exo, ego+exo with Verb, Object, Action, Avg', () => {
    const anticipation = byKind('anticipation');
    expect(anticipation.groups.map((g) => g.view)).toEqual(['ego', 'exo', 'ego+exo']);
    expect(anticipation.columns.map((c) => c.label)).toEqual(['Verb', 'Object', 'Action', 'Avg']);
    expect(anticipation.groups[2]!.rows[1]!.cells[3]!.delta).toMatchObject({ tone: 'better', text: '+1.6' });
  });

  it('orders the ablation like Table 1', () => {
    expect(byKind('ablation').groups[0]!.rows.map((r) => r.label)).toEqual(['Base', '+random', '+step1', '+step2', '+step1+step2']);
  });
});
