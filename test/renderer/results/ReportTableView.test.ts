// @vitest-environment jsdom
// The Results screen renders the report's typed tables as contract/reportTables.ts lays them out: headers and
// rows as laid out, mean with "± std" and N when there are several seeds, each Δ toned green or red, greyed
// when not significant with the rule under the table; one seed shows no ± and marks nothing.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { reportTables, type ReportTable } from '../../../contract/reportTables';
import ReportTableView from '../../../renderer/src/screens/results/ReportTableView.svelte';
import { delta, reportSample, stat } from './reportSample';

let mounted: Record<string, unknown> | undefined;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = undefined;
  document.body.innerHTML = '';
});

function render(table: ReportTable, rule = 'RULE: paired t-test'): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  mounted = mount(ReportTableView, { target, props: { table, rule } });
  flushSync();
  return target;
}

const tableOf = (kind: ReportTable['kind'], data = reportSample()) => reportTables(data).find((t) => t.kind === kind)!;
const texts = (root: ParentNode, selector: string) => [...root.querySelectorAll(selector)].map((e) => e.textContent?.replace(/\s+/g, ' ').trim());

describe('ReportTableView', () => {
  it('renders Table 2 with mean ± std per cell, N in the title, and a Δ row under each EVGAP row', () => {
    const root = render(tableOf('segmentation'));
    expect(root.querySelector('h3')?.textContent).toBe('Temporal action segmentation (Table 2) N = 2 seeds (1, 2)');
    expect(texts(root, 'thead tr:last-child th')).toEqual(['Head', 'Input', ...['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg'], ...['F1@10', 'F1@25', 'F1@50', 'Edit', 'Acc', 'Avg']]);
    const base = root.querySelector('tbody tr[data-variant="base"]')!;
    expect(base.querySelector('th[scope="rowgroup"]')?.getAttribute('rowspan')).toBe('3');
    // Base single-view Avg over seeds: 30 and 32 → 31.0 ± 1.4.
    expect(texts(base, 'td')[5]).toBe('31.0± 1.4');
    expect(base.querySelectorAll('td .sd')).toHaveLength(12);
    expect(texts(root, 'tbody tr.delta th')).toEqual(['Δ']);
  });

  it('greys a Δ that is not significant, colours one that is, and states the rule', () => {
    const root = render(tableOf('segmentation'));
    const deltas = [...root.querySelectorAll<HTMLElement>('.delta[data-significance]')];
    expect(deltas).toHaveLength(12);
    const single = deltas.slice(0, 6);
    const two = deltas.slice(6);
    for (const d of single) expect([d.dataset['delta'], d.dataset['significance'], d.classList.contains('insignificant')]).toEqual(['better', 'not-significant', true]);
    for (const d of two) expect([d.dataset['delta'], d.dataset['significance'], d.classList.contains('insignificant')]).toEqual(['better', 'significant', false]);
    // Two-view Δ Avg: +6.0 and +6.2 → +6.1 ± 0.1.
    expect(two[5]!.textContent).toBe('+6.1± 0.1');
    expect(root.querySelector('[data-rule]')?.textContent).toBe('RULE: paired t-test');
  });

  it('shows one seed without ± and marks no Δ', () => {
    const one = reportSample();
    one.anticipation!.seeds = [1];
    const row = one.anticipation!.rows[0]!;
    row.base.verb = stat([40]);
    row.evgap.verb = stat([44]);
    row.delta.verb = delta([40], [44], null);
    const root = render(tableOf('anticipation', one));
    expect(root.querySelector('h3 [data-seeds]')?.textContent).toBe('N = 1 (seed 1): no spread');
    const verb = root.querySelector('tr.delta .delta') as HTMLElement;
    expect([verb.textContent, verb.dataset['significance'], verb.classList.contains('insignificant')]).toEqual(['+4.0', 'untested', false]);
    expect(root.querySelector('tr.base td')?.textContent).toBe('40.0');
    expect(root.querySelector('[data-rule]')).toBeNull();
  });

  it('shows the retrieval table with its chance row, and the per-pair table folded', () => {
    const root = render(tableOf('retrieval'));
    expect(texts(root, 'thead tr:first-child th')).toEqual(['', 'Ego → Exo', 'Exo → Ego']);
    expect(texts(root, 'tr.chance td')).toEqual(['1.4', '7.0', '36.0', '1.4', '7.0', '36.0']);
    expect(root.querySelector('[data-rule]')).toBeNull();
    unmount(mounted!);
    const folded = render(tableOf('retrieval-pairs'));
    expect(folded.querySelector('details.result-table > summary')?.textContent).toBe('Cross-view retrieval per (ego view, exo view) pair');
  });
});
