// The pipeline report as one self-contained HTML page: inline CSS, inline SVG charts, no scripts and no remote
// assets, so it opens from disk or inside the app. The tables are contract/reportTables.ts's layout — the same
// rows and cells the Results screen shows: retrieval with chance; segmentation (Table 2) one block per head with
// Base / +EVGAP* / +EVGAP and Δ rows; novel views per held-out view (Tables 4/5); anticipation; the ablation
// (Table 1). Numbers are mean ± std over the table's seeds; a Δ is green when better than Base, red when worse,
// and grey when it is not significant by the rule in the notes. A pipeline that failed or was cancelled gets a
// notice with the stage and the error, and the tables it finished.
import type { ReportData } from '../../contract/report';
import { deltaSignificance, deltaText, deltaTone, formatNumber, reportTables, seedsText, statText, type ReportTable, type TableCell } from '../../contract/reportTables';
import { escapeHtml } from './escape';
import { barChart, lineChart } from './svgCharts';

const colors = { raw: '#8a94a6', step1: '#6aa5e8', step2: '#2f6fd1', base: '#8a94a6', evgap: '#2f6fd1', random: '#c98f3a' } as const;

const css = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1480px; padding: 0 1rem; color: #1d2430; }
.table-scroll { overflow-x: auto; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; border-bottom: 1px solid #d8dde6; padding-bottom: .3rem; }
.meta { color: #5b6576; } .note { color: #5b6576; font-size: 12.5px; margin: .2rem 0; } .seeds { font-weight: 400; color: #5b6576; font-size: .85rem; }
.notice { border: 1px solid #e3a1a6; background: #fdf1f2; color: #7d1f26; padding: .6rem .9rem; border-radius: 4px; }
.notice.cancelled { border-color: #d8c58f; background: #fbf6e6; color: #5e4d14; }
table { border-collapse: collapse; margin: .8rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .55rem; text-align: right; border-bottom: 1px solid #e6e9ef; white-space: nowrap; }
td.label, th.left { text-align: left; } th.center { text-align: center; }
td.group { vertical-align: top; font-weight: 600; }
thead th { background: #f3f5f8; font-weight: 600; } tr.delta td { font-style: italic; } tr.chance-row td { color: #7b8494; font-style: italic; }
.sd { color: #7b8494; font-size: .85em; }
.better { color: #1e8e4e; font-weight: 600; } .worse { color: #c7333d; font-weight: 600; } .same { color: #7b8494; }
.insignificant, .insignificant .sd { color: #a3aab5; font-weight: 400; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } svg.chart { width: 540px; max-width: 100%; height: auto; background: #fbfcfd; border: 1px solid #e6e9ef; }
svg text { font-size: 11px; fill: #3b4556; } svg .grid { stroke: #e3e7ee; } svg .axis { fill: #5b6576; } svg .whisker { stroke: #1d2430; stroke-width: 1; }
svg .chance { stroke: #c7333d; stroke-dasharray: 4 3; stroke-width: 1.5; }
pre { background: #f3f5f8; padding: .8rem; overflow: auto; font-size: 12px; }
`;

function spreadSpan(spread: string | null): string {
  return spread === null ? '' : `<span class="sd"> ${escapeHtml(spread)}</span>`;
}

function cellHtml(cell: TableCell): string {
  switch (cell.kind) {
    case 'header':
      return `<th${cell.align === 'right' ? '' : ` class="${cell.align}"`}${cell.colspan ? ` colspan="${cell.colspan}"` : ''}${cell.title ? ` title="${escapeHtml(cell.title)}"` : ''}>${escapeHtml(cell.text)}</th>`;
    case 'label':
      return `<td class="label${cell.group ? ' group' : ''}"${cell.rowspan ? ` rowspan="${cell.rowspan}"` : ''}>${escapeHtml(cell.text)}</td>`;
    case 'stat': {
      const text = statText(cell.stat);
      return `<td data-n="${cell.stat.n}">${text.mean}${spreadSpan(text.spread)}</td>`;
    }
    case 'number':
      return `<td>${formatNumber(cell.value)}</td>`;
    case 'delta': {
      if (cell.delta.mean === null) return '<td>–</td>';
      const tone = deltaTone(cell.delta, cell.lowerIsBetter);
      const significance = deltaSignificance(cell.delta);
      const text = deltaText(cell.delta);
      const title = significance === 'not-significant' ? ' title="not significant (paired t-test, 95 %)"' : '';
      return `<td><span class="${tone}${significance === 'not-significant' ? ' insignificant' : ''}" data-delta="${tone}" data-significance="${significance}"${title}>${text.mean}${spreadSpan(text.spread)}</span></td>`;
    }
    case 'empty':
      return '<td></td>';
  }
}

function tableHtml(table: ReportTable): string {
  const head = table.header.map((row) => `<tr>${row.map(cellHtml).join('')}</tr>`).join('\n');
  const body = table.rows
    .map((row) => {
      const classes = row.kind === 'delta' ? ' class="delta"' : row.kind === 'chance' ? ' class="chance-row"' : '';
      const tags = Object.entries(row.tags)
        .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
        .join('');
      return `<tr${classes}${tags}>${row.cells.map(cellHtml).join('')}</tr>`;
    })
    .join('\n');
  // Wide tables (three heads × two protocols × six metrics with ± std) scroll sideways inside the page, never off it.
  return `<div class="table-scroll"><table class="result-table" data-kind="${table.kind}" data-n="${table.seeds.length}"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

function notesHtml(table: ReportTable, data: ReportData): string {
  const rule = table.hasDeltas && table.seeds.length >= 2 ? [data.spread.rule] : [];
  return [...table.notes, ...rule].map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
}

/** A table's section: its title with N, notes, the table, and the table's charts. */
function sectionHtml(table: ReportTable, data: ReportData): string {
  if (table.folded) return `<details><summary>${escapeHtml(table.title)}</summary>${tableHtml(table)}</details>`;
  return `<h2>${escapeHtml(table.title)} <span class="seeds">${escapeHtml(seedsText(table.seeds))}</span></h2>${notesHtml(table, data)}
${tableHtml(table)}${chartsOf(table, data)}`;
}

function chartsOf(table: ReportTable, data: ReportData): string {
  if (table.kind === 'retrieval' && data.retrieval) {
    const r = data.retrieval;
    const chart = (direction: 'egoToExo' | 'exoToEgo', title: string) =>
      barChart(
        r.ks.map((k) => ({
          label: `R@${k}`,
          bars: r.mean.map((row) => {
            const s = row[direction].recallAt[String(k)];
            return { label: row.label, color: colors[row.variant], value: s?.mean ?? null, spread: s?.std ?? null };
          }),
          reference: r.chance[direction].recallAt[String(k)] ?? null,
        })),
        { title, yLabel: 'Recall (%)', max: 100 },
      );
    return `<div class="charts">${chart('egoToExo', 'Ego → Exo recall')}${chart('exoToEgo', 'Exo → Ego recall')}</div>`;
  }
  if (table.kind === 'novel-view' && data.novelView) {
    const chart = barChart(
      data.novelView.rows.map((row) => ({
        label: row.view,
        bars: [
          { label: 'Base', color: colors.base, value: row.base.avg.mean, spread: row.base.avg.std },
          { label: '+EVGAP', color: colors.evgap, value: row.evgap.avg.mean, spread: row.evgap.avg.std },
        ],
      })),
      { title: 'Novel-view segmentation Avg', yLabel: 'Avg (%)' },
    );
    return `<div class="charts" data-novel-views="${data.novelView.rows.length}">${chart}</div>`;
  }
  return '';
}

function lossSection(data: ReportData): string {
  if (data.losses.length === 0) return '';
  const palette = [colors.step1, colors.step2, colors.random];
  const charts = data.losses.map((curve, i) =>
    lineChart([{ label: `${curve.label}, run ${curve.runId}`, color: palette[i % palette.length]!, points: curve.points.map((p) => ({ x: p.step, y: p.loss })) }], {
      title: `${curve.label} loss`,
      xLabel: 'step',
      yLabel: 'loss',
    }),
  );
  return `<h2>Pre-training loss</h2><div class="charts">${charts.join('')}</div>`;
}

/** What a pipeline that did not complete left: where it stopped and why. */
function noticeHtml(data: ReportData): string {
  if (data.status === 'completed') return '';
  const what = data.status === 'failed' ? 'failed' : 'was cancelled';
  return `<p class="notice ${data.status}" data-status="${data.status}"><b>Partial report: the pipeline ${what} in stage ${escapeHtml(data.failedStage ?? '?')}.</b> ${escapeHtml(data.error ?? '')}
Only the tables (and seeds) finished before it stopped are shown.</p>`;
}

function runsText(data: ReportData): string {
  const runs = data.runs.map((r) => {
    const parts = [r.step1 === null ? null : `${r.step1} (step 1)`, r.step2 === null ? null : `${r.step2} (step 2)`, r.step2FromRandom === null ? null : `${r.step2FromRandom} (step 2 from random init)`];
    const list = parts.filter((p) => p !== null).join(', ');
    return data.runs.length > 1 ? `seed ${r.seed}: ${list}` : list;
  });
  return runs.length === 0 ? 'no pre-training runs' : `pre-training runs ${runs.join('; ')}`;
}

export function renderHtmlReport(data: ReportData): string {
  const minutes = (data.wallSeconds / 60).toFixed(1);
  const timings = data.timings.map((t) => `<tr><td class="label">${escapeHtml(t.stage)}</td><td>${t.seconds.toFixed(0)} s</td></tr>`).join('');
  const seeds = data.spread.seeds.length > 1 ? `seeds ${data.spread.seeds.join(', ')}${data.spread.pretrainingSeeds.length > 1 ? ' (pre-training too)' : ' (heads; pre-training with seed ' + data.spread.pretrainingSeeds[0] + ')'}` : `seed ${data.seed}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>EVGAP report: pipeline run ${data.runId} on ${escapeHtml(data.dataset)}</title><style>${css}</style></head>
<body><h1>EVGAP pre-train &amp; evaluate: run ${data.runId}${data.status === 'completed' ? '' : ` (${data.status})`}</h1>
<p class="meta">Dataset <b>${escapeHtml(data.dataset)}</b> · preset ${escapeHtml(data.preset)}${data.quick ? ' (quick)' : ''} · ${escapeHtml(seeds)} ·
${escapeHtml(runsText(data))} · ${minutes} min · ${escapeHtml(data.backend)} · ${escapeHtml(data.createdAt)}</p>
${noticeHtml(data)}
${lossSection(data)}${reportTables(data)
    .map((table) => sectionHtml(table, data))
    .join('\n')}
<h2>Timing</h2><table><tbody>${timings}<tr><td class="label"><b>Total</b></td><td><b>${data.wallSeconds.toFixed(0)} s</b></td></tr></tbody></table>
<details><summary>Settings</summary><pre>${escapeHtml(JSON.stringify(data.settings, null, 2))}</pre></details>
</body></html>
`;
}
