// The HTML report: one self-contained page (inline CSS and SVG, no scripts, no remote assets), tables in the
// publication's layout with Δ coloured by whether it beats Base, and text from the data escaped.
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../main/report/htmlReport';
import { sampleReport } from './reportFixture';

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(sampleReport());

  it('is self-contained: inline style and SVG charts, no scripts and no remote references', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    // Two loss curves, two retrieval charts, one novel-view chart.
    expect(html.match(/<svg /g)).toHaveLength(5);
  });

  it('colours each Δ green when better than Base, red when worse, grey when unchanged', () => {
    const deltas = [...html.matchAll(/<span class="(\w+)" data-delta="(\w+)">([^<]+)<\/span>/g)].map((m) => [m[2], m[3]]);
    expect(deltas).toContainEqual(['better', '+2.0']);
    expect(deltas).toContainEqual(['worse', '-1.0']);
    expect(deltas).toContainEqual(['same', '0.0']);
    for (const match of html.matchAll(/<span class="(\w+)" data-delta="(\w+)">/g)) expect(match[1]).toBe(match[2]);
  });

  it('lays out the tables as the publication does', () => {
    expect(html).toMatch(/data-kind="retrieval"[\s\S]*?Ego → Exo[\s\S]*?Exo → Ego[\s\S]*?<th>R@1<\/th><th>R@5<\/th><th>R@10<\/th><th>MedR ↓<\/th>/);
    expect(html).toMatch(/<tr class="chance-row"><td class="label">Chance<\/td><td>1\.5<\/td>/);
    expect(html).toMatch(/data-kind="segmentation"[\s\S]*?<th>F1@10<\/th><th>F1@25<\/th><th>F1@50<\/th><th>Edit<\/th><th>Acc<\/th><th>Avg<\/th>/);
    expect(html).toContain('data-novel-views="2"');
    expect(html).toMatch(/e1 \(ego\)<\/td><td class="label">Base<\/td><td>23\.0<\/td>/);
    expect(html).toMatch(/data-kind="ablation"[\s\S]*?Single view[\s\S]*?Two views/);
    expect(html).toMatch(/<tr data-variant="random"><td class="label">\+random<\/td>/);
    // A metric that could not be computed shows as a dash, its Δ too.
    expect(html).toMatch(/<td>–<\/td>/);
  });

  it('escapes text that comes from the data', () => {
    expect(html).toContain('demo &lt;&amp;&gt; &quot;quoted&quot;');
    expect(html).not.toContain('demo <&>');
  });
});
