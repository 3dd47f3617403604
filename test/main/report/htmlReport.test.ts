// The HTML report: one self-contained page (inline CSS and SVG, no scripts, no remote assets), tables in the
// publication's layout with mean ± std over seeds and N, Δ coloured by whether it beats Base and greyed when not
// significant, a notice on a partial report, and text from the data escaped.
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../main/report/htmlReport';
import { sampleReport, sampleResults } from './reportFixture';

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(sampleReport());

  it('is self-contained: inline style and SVG charts, no scripts and no remote references', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    // Three loss curves, two retrieval charts, one novel-view chart.
    expect(html.match(/<svg /g)).toHaveLength(6);
  });

  it('shows each number as mean ± std over the table’s seeds, with N in the heading', () => {
    // C2F-TCN single-view Base Avg over seeds 1, 2, 3: 30, 31, 29.
    expect(html).toMatch(/<tr data-head="c2f-tcn" data-variant="base"><td class="label group" rowspan="5">C2F-TCN<\/td><td class="label">Base \(raw features\)<\/td><td data-n="3">33\.0<span class="sd"> ± 1\.0<\/span><\/td>/);
    expect(html).toMatch(/Temporal action segmentation \(Table 2\) <span class="seeds">N = 3 seeds \(1, 2, 3\)<\/span>/);
    // Retrieval has one pre-training seed: no spread, and says so.
    expect(html).toMatch(/Cross-view retrieval \(test scenes\) <span class="seeds">N = 1 \(seed 1\): no spread<\/span>/);
    expect(html).toMatch(/<tr data-variant="raw"><td class="label">Raw features \(Base\)<\/td><td data-n="1">2\.0<\/td>/);
    expect(html).toContain('paired two-sided t-test at 95 %; t = 4.303 for N = 3');
  });

  it('colours a significant Δ green or red and greys one that is not significant', () => {
    const deltas = [...html.matchAll(/<span class="([\w ]+)" data-delta="(\w+)" data-significance="([\w-]+)"[^>]*>([^<]+)/g)].map((m) => ({
      classes: m[1]!,
      tone: m[2]!,
      significance: m[3]!,
      text: m[4]!,
    }));
    // +EVGAP* single-view Δ Avg: per seed 1, 2, 0.5 → +1.2 ± 0.8, below t·sd/√3 = 1.90: not significant.
    expect(deltas).toContainEqual({ classes: 'better insignificant', tone: 'better', significance: 'not-significant', text: '+1.2' });
    // +EVGAP single-view Δ: +5 in every seed, significant.
    expect(deltas).toContainEqual({ classes: 'better', tone: 'better', significance: 'significant', text: '+5.0' });
    // Two-view +EVGAP: 28 − k against 29 → −1, −2, −3: −2.0 ± 1.0, |−2| < 2.48: not significant, still red-toned.
    expect(deltas).toContainEqual({ classes: 'worse insignificant', tone: 'worse', significance: 'not-significant', text: '−2.0' });
    for (const d of deltas) expect(d.classes.includes('insignificant')).toBe(d.significance === 'not-significant');
  });

  it('lays out the tables as the publication does', () => {
    expect(html).toMatch(/data-kind="retrieval"[\s\S]*?Ego → Exo[\s\S]*?Exo → Ego[\s\S]*?<th>R@1<\/th><th>R@5<\/th><th>R@10<\/th><th title="median rank: lower is better">MedR ↓<\/th>/);
    expect(html).toMatch(/<tr class="chance-row" data-variant="chance"><td class="label">Chance<\/td><td>1\.5<\/td>/);
    expect(html).toMatch(/data-kind="segmentation"[\s\S]*?Single view[\s\S]*?Two views[\s\S]*?<th>F1@10<\/th><th>F1@25<\/th><th>F1@50<\/th><th>Edit<\/th><th>Acc<\/th><th>Avg<\/th>/);
    // Table 2: a block per head — Base, +EVGAP* with Δ, +EVGAP with Δ — single and two views side by side.
    expect(html.match(/<tr class="delta" data-head=/g)).toHaveLength(4);
    expect(html).toContain('data-novel-views="2"');
    expect(html).toMatch(/<td class="label group" rowspan="3">e1 \(ego\)<\/td><td class="label">Base<\/td><td data-n="3">24\.0<span class="sd"> ± 1\.0<\/span>/);
    expect(html).toMatch(/data-kind="ablation"[\s\S]*?Single view[\s\S]*?Two views/);
    expect(html).toMatch(/<tr data-variant="random"><td class="label">\+random<\/td>/);
    // A metric that no seed could compute shows as a dash, its Δ too.
    expect(html).toMatch(/<td data-n="0">–<\/td>/);
  });

  it('puts a notice with the stage and the error on a partial report, with only the finished tables', () => {
    const results = sampleResults();
    const partial = renderHtmlReport(
      sampleReport({ status: 'failed', failedStage: 'anticipation', error: 'anticipation: Error: <boom>', results: { ...results, anticipation: [], ablation: [] } }),
    );
    expect(partial).toMatch(/<p class="notice failed" data-status="failed"><b>Partial report: the pipeline failed in stage anticipation\.<\/b> anticipation: Error: &lt;boom&gt;/);
    expect(partial).toContain('data-kind="segmentation"');
    expect(partial).not.toContain('data-kind="anticipation"');
    expect(partial).not.toContain('data-kind="ablation"');
  });

  it('escapes text that comes from the data', () => {
    expect(html).toContain('demo &lt;&amp;&gt; &quot;quoted&quot;');
    expect(html).not.toContain('demo <&>');
  });
});
