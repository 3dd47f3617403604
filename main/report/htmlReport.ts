// The pipeline report as one self-contained HTML page: inline CSS, inline SVG charts, no scripts and no remote
// assets, so it opens from disk or inside the app. Tables follow the publication's layout: retrieval with chance;
// segmentation F1@{10,25,50}, Edit, Acc, Avg with Base / +EVGAP / Δ rows; novel views per held-out view (Tables
// 4/5); anticipation Verb / Object / Action; the ablation (Table 1). Δ is green when better than Base, red when
// worse.
import { escapeHtml } from './escape';
import {
  segmentationMetricLabels,
  segmentationMetricNames,
  type AnticipationNumbers,
  type ReportData,
  type RetrievalNumbers,
  type Scores,
} from './reportData';
import { barChart, lineChart } from './svgCharts';

const colors = { raw: '#8a94a6', step1: '#6aa5e8', step2: '#2f6fd1', base: '#8a94a6', evgap: '#2f6fd1', random: '#c98f3a' } as const;

const css = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d2430; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; border-bottom: 1px solid #d8dde6; padding-bottom: .3rem; }
.meta { color: #5b6576; } .note { color: #5b6576; font-size: 12.5px; margin: .2rem 0; }
table { border-collapse: collapse; margin: .8rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .6rem; text-align: right; border-bottom: 1px solid #e6e9ef; }
th:first-child, td:first-child, td.label, th.label { text-align: left; }
thead th { background: #f3f5f8; font-weight: 600; } tr.delta td { font-style: italic; }
.better { color: #1e8e4e; font-weight: 600; } .worse { color: #c7333d; font-weight: 600; } .same { color: #7b8494; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } svg.chart { width: 540px; max-width: 100%; height: auto; background: #fbfcfd; border: 1px solid #e6e9ef; }
svg text { font-size: 11px; fill: #3b4556; } svg .grid { stroke: #e3e7ee; } svg .axis { fill: #5b6576; }
svg .chance { stroke: #c7333d; stroke-dasharray: 4 3; stroke-width: 1.5; }
pre { background: #f3f5f8; padding: .8rem; overflow: auto; font-size: 12px; }
`;

const num = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '–' : value.toFixed(digits));

/** A Δ cell: green when the change is an improvement, red when it is worse. */
function deltaCell(delta: number | null, lowerIsBetter = false): string {
  if (delta === null) return '<td>–</td>';
  const tone = Math.abs(delta) < 0.05 ? 'same' : (delta > 0) !== lowerIsBetter ? 'better' : 'worse';
  return `<td><span class="${tone}" data-delta="${tone}">${delta > 0 ? '+' : ''}${delta.toFixed(1)}</span></td>`;
}

function scoreCells(scores: Scores): string {
  return segmentationMetricNames.map((name) => `<td>${num(scores[name])}</td>`).join('');
}

function deltaScoreCells(delta: Scores): string {
  return segmentationMetricNames.map((name) => deltaCell(delta[name])).join('');
}

function recallCells(numbers: RetrievalNumbers, ks: readonly number[]): string {
  return ks.map((k) => `<td>${num(numbers.recallAt[String(k)])}</td>`).join('') + `<td>${num(numbers.medianRank)}</td>`;
}

function retrievalSection(data: ReportData): string {
  const r = data.retrieval;
  if (r === null) return '';
  const head = r.ks.map((k) => `<th>R@${k}</th>`).join('') + '<th>MedR ↓</th>';
  const rows = r.mean
    .map((row) => `<tr data-variant="${row.variant}"><td class="label">${escapeHtml(row.label)}</td>${recallCells(row.egoToExo, r.ks)}${recallCells(row.exoToEgo, r.ks)}</tr>`)
    .join('');
  const chance = `<tr class="chance-row"><td class="label">Chance</td>${recallCells(r.chance.egoToExo, r.ks)}${recallCells(r.chance.exoToEgo, r.ks)}</tr>`;
  const chart = (direction: 'egoToExo' | 'exoToEgo', title: string) =>
    barChart(
      r.ks.map((k) => ({
        label: `R@${k}`,
        bars: r.mean.map((row) => ({ label: row.label, color: colors[row.variant], value: row[direction].recallAt[String(k)] ?? null })),
        reference: r.chance[direction].recallAt[String(k)] ?? null,
      })),
      { title, yLabel: 'Recall (%)', max: 100 },
    );
  const pairRows = r.pairs
    .map((p) => `<tr><td class="label">${escapeHtml(p.egoView)} – ${escapeHtml(p.exoView)}</td><td class="label">${escapeHtml(p.label)}</td>${recallCells(p.egoToExo, r.ks)}${recallCells(p.exoToEgo, r.ks)}</tr>`)
    .join('');
  return `<h2>Cross-view retrieval (test scenes)</h2>
<p class="note">${r.scenes} test scene(s); clips of ${r.window} frames every ${r.stride} frames; the gallery of a query is the other view's clips of the same scene. Mean over ${r.pairs.length / Math.max(r.mean.length, 1)} (ego view, exo view) pairs.</p>
<table class="result-table" data-kind="retrieval"><thead><tr><th></th><th colspan="${r.ks.length + 1}">Ego → Exo</th><th colspan="${r.ks.length + 1}">Exo → Ego</th></tr>
<tr><th class="label">Embedding</th>${head}${head}</tr></thead><tbody>${rows}${chance}</tbody></table>
<div class="charts">${chart('egoToExo', 'Ego → Exo recall')}${chart('exoToEgo', 'Exo → Ego recall')}</div>
<details><summary>Per (ego view, exo view) pair</summary><table><thead><tr><th class="label">Pair</th><th class="label">Embedding</th>${head}${head}</tr></thead><tbody>${pairRows}</tbody></table></details>`;
}

function segmentationTable(kind: string, title: string, rows: { label: string; variant: string; scores: Scores }[]): string {
  const head = segmentationMetricLabels.map((label) => `<th>${label}</th>`).join('');
  const base = rows.find((row) => row.variant === 'base');
  const body = rows
    .map((row) => {
      const line = `<tr data-variant="${row.variant}"><td class="label">${escapeHtml(row.label)}</td>${scoreCells(row.scores)}</tr>`;
      if (row.variant === 'base' || base === undefined) return line;
      const delta = Object.fromEntries(segmentationMetricNames.map((n) => [n, row.scores[n] === null || base.scores[n] === null ? null : row.scores[n]! - base.scores[n]!])) as Scores;
      return `${line}<tr class="delta"><td class="label">Δ</td>${deltaScoreCells(delta)}</tr>`;
    })
    .join('');
  return `<h3>${escapeHtml(title)}</h3><table class="result-table" data-kind="${kind}"><thead><tr><th class="label">Input</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function segmentationSection(data: ReportData): string {
  const s = data.segmentation;
  if (s === null) return '';
  return `<h2>Temporal action segmentation</h2>${s.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('')}
<p class="note">+EVGAP: ${escapeHtml(data.encoderMode)}. Metrics as MS-TCN's evaluation computes them, in percent.</p>
${segmentationTable('segmentation', 'Single view', s.singleView)}${segmentationTable('segmentation', 'Two views (ego + exo per frame)', s.twoView)}`;
}

function novelViewSection(data: ReportData): string {
  const n = data.novelView;
  if (n === null) return '';
  const head = segmentationMetricLabels.map((label) => `<th>${label}</th>`).join('');
  const body = n.rows
    .map(
      (row) =>
        `<tr data-variant="base"><td class="label" rowspan="3">${escapeHtml(row.view)} (${row.role})</td><td class="label">Base</td>${scoreCells(row.base)}</tr>` +
        `<tr data-variant="evgap"><td class="label">+EVGAP</td>${scoreCells(row.evgap)}</tr>` +
        `<tr class="delta"><td class="label">Δ</td>${deltaScoreCells(row.delta)}</tr>`,
    )
    .join('');
  const chart = barChart(
    n.rows.map((row) => ({
      label: row.view,
      bars: [
        { label: 'Base', color: colors.base, value: row.base.avg },
        { label: '+EVGAP', color: colors.evgap, value: row.evgap.avg },
      ],
    })),
    { title: 'Novel-view segmentation Avg', yLabel: 'Avg (%)' },
  );
  return `<h2>Novel views (Tables 4/5)</h2><p class="note">Each held-out view is left out of the heads' training and is the only view they are tested on.</p>
<table class="result-table novel" data-kind="novel-view" data-novel-views="${n.rows.length}"><thead><tr><th class="label">Held-out view</th><th class="label">Input</th>${head}</tr></thead><tbody>${body}</tbody></table>
<div class="charts">${chart}</div>`;
}

function anticipationCells(numbers: AnticipationNumbers): string {
  return (['verb', 'object', 'action', 'avg'] as const).map((key) => `<td>${num(numbers[key])}</td>`).join('');
}

function anticipationSection(data: ReportData): string {
  const a = data.anticipation;
  if (a === null) return '';
  const inputLabel = { ego: 'Ego', exo: 'Exo', 'ego+exo': 'Ego+Exo' } as const;
  const body = a.rows
    .map(
      (row) =>
        `<tr data-variant="base"><td class="label" rowspan="3">${inputLabel[row.input]}</td><td class="label">Base</td>${anticipationCells(row.base)}</tr>` +
        `<tr data-variant="evgap"><td class="label">+EVGAP</td>${anticipationCells(row.evgap)}</tr>` +
        `<tr class="delta"><td class="label">Δ</td>${(['verb', 'object', 'action', 'avg'] as const).map((k) => deltaCell(row.delta[k])).join('')}</tr>`,
    )
    .join('');
  return `<h2>Action anticipation</h2>${a.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('')}
<table class="result-table" data-kind="anticipation"><thead><tr><th class="label">Views</th><th class="label">Input</th><th>Verb</th><th>Object</th><th>Action</th><th>Avg</th></tr></thead><tbody>${body}</tbody></table>`;
}

function ablationSection(data: ReportData): string {
  const a = data.ablation;
  if (a === null) return '';
  const base = a.rows.find((row) => row.variant === 'base');
  const head = segmentationMetricLabels.map((label) => `<th>${label}</th>`).join('');
  const body = a.rows
    .map((row) => {
      const delta = (which: 'singleView' | 'twoView') =>
        row.variant === 'base' || base === undefined || row[which].avg === null || base[which].avg === null ? '<td></td>' : deltaCell(row[which].avg! - base[which].avg!);
      return `<tr data-variant="${row.variant}"><td class="label">${escapeHtml(row.label)}</td>${scoreCells(row.singleView)}${delta('singleView')}${scoreCells(row.twoView)}${delta('twoView')}</tr>`;
    })
    .join('');
  return `<h2>Ablation (Table 1)</h2>${a.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('')}
<table class="result-table" data-kind="ablation"><thead><tr><th></th><th colspan="7">Single view</th><th colspan="7">Two views</th></tr>
<tr><th class="label">Input</th>${head}<th>Δ Avg</th>${head}<th>Δ Avg</th></tr></thead><tbody>${body}</tbody></table>`;
}

function lossSection(data: ReportData): string {
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

export function renderHtmlReport(data: ReportData): string {
  const minutes = (data.wallSeconds / 60).toFixed(1);
  const timings = data.timings.map((t) => `<tr><td class="label">${escapeHtml(t.stage)}</td><td>${t.seconds.toFixed(0)} s</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>EVGAP report: pipeline run ${data.runId} on ${escapeHtml(data.dataset)}</title><style>${css}</style></head>
<body><h1>EVGAP pre-train &amp; evaluate: run ${data.runId}</h1>
<p class="meta">Dataset <b>${escapeHtml(data.dataset)}</b> · preset ${escapeHtml(data.preset)}${data.quick ? ' (quick)' : ''} · seed ${data.seed} ·
pre-training runs ${data.runs.step1} (step 1), ${data.runs.step2} (step 2)${data.runs.step2FromRandom === null ? '' : `, ${data.runs.step2FromRandom} (step 2 from random init)`} ·
${minutes} min · ${escapeHtml(data.backend)} · ${escapeHtml(data.createdAt)}</p>
${lossSection(data)}${retrievalSection(data)}${segmentationSection(data)}${novelViewSection(data)}${anticipationSection(data)}${ablationSection(data)}
<h2>Timing</h2><table><tbody>${timings}<tr><td class="label"><b>Total</b></td><td><b>${data.wallSeconds.toFixed(0)} s</b></td></tr></tbody></table>
<details><summary>Settings</summary><pre>${escapeHtml(JSON.stringify(data.settings, null, 2))}</pre></details>
</body></html>
`;
}
