// Inline SVG charts for the self-contained HTML report (no scripts, no remote assets): a line chart of loss
// curves and a grouped bar chart from 0 (retrieval Recall@k of raw features vs EVGAP, with a dashed chance line;
// novel-view Avg), each bar with a ±1 standard deviation whisker when it has one.
import { escapeHtml } from './escape';

export type LineSeries = { label: string; color: string; points: { x: number; y: number }[] };
/** A bar's `spread` (a standard deviation over seeds) is drawn as a whisker of ±spread around its value. */
export type BarGroup = { label: string; bars: { label: string; color: string; value: number | null; spread?: number | null }[]; reference?: number | null };

const width = 560;
const height = 260;
const margin = { left: 52, right: 16, top: 24, bottom: 44 };

function ticks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(1) : value.toPrecision(2);
}

/** Loss curves on shared axes (x: step, y: value), with a legend under the plot. */
export function lineChart(series: readonly LineSeries[], options: { xLabel: string; yLabel: string; title: string }): string {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  if (all.length === 0) return `<p class="empty">No data for ${escapeHtml(options.title)}.</p>`;
  const xMax = Math.max(...all.map((p) => p.x), 1);
  const yMin = Math.min(...all.map((p) => p.y), 0);
  const yMax = Math.max(...all.map((p) => p.y));
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sx = (x: number) => margin.left + (x / xMax) * plotW;
  const sy = (y: number) => margin.top + plotH - ((y - yMin) / (yMax - yMin || 1)) * plotH;
  const grid = ticks(yMin, yMax, 5)
    .map((t) => `<line x1="${margin.left}" x2="${width - margin.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/><text x="${margin.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${format(t)}</text>`)
    .join('');
  const xTicks = ticks(0, xMax, 6)
    .map((t) => `<text x="${sx(t).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${format(t)}</text>`)
    .join('');
  const lines = series
    .map((s) => {
      const d = s.points.filter((p) => Number.isFinite(p.y)).map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`;
    })
    .join('');
  const legend = series
    .map((s, i) => `<g transform="translate(${margin.left + i * 180},${height - 10})"><rect width="12" height="3" y="-4" fill="${s.color}"/><text x="16" y="0">${escapeHtml(s.label)}</text></g>`)
    .join('');
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}">` +
    `<title>${escapeHtml(options.title)}</title>${grid}${xTicks}` +
    `<text x="${width - margin.right}" y="${height - margin.bottom + 30}" text-anchor="end" class="axis">${escapeHtml(options.xLabel)}</text>` +
    `<text x="${margin.left + 4}" y="${margin.top - 10}" class="axis">${escapeHtml(options.yLabel)}</text>${lines}${legend}</svg>`
  );
}

/** Grouped bars on a 0..max scale; a group's reference (chance) is a dashed line across it. */
export function barChart(groups: readonly BarGroup[], options: { title: string; yLabel: string; max?: number }): string {
  const values = groups.flatMap((g) => [...g.bars.map((b) => (b.value ?? 0) + (b.spread ?? 0)), g.reference ?? 0]);
  const yMax = options.max ?? Math.max(...values, 1);
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sy = (y: number) => margin.top + plotH - (Math.min(y, yMax) / yMax) * plotH;
  const groupW = plotW / Math.max(groups.length, 1);
  const grid = ticks(0, yMax, 5)
    .map((t) => `<line x1="${margin.left}" x2="${width - margin.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/><text x="${margin.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${format(t)}</text>`)
    .join('');
  const bars = groups
    .map((group, g) => {
      const x0 = margin.left + g * groupW + groupW * 0.1;
      const barW = (groupW * 0.8) / Math.max(group.bars.length, 1);
      const rects = group.bars
        .map((bar, b) => {
          const v = bar.value ?? 0;
          const y = sy(v);
          const x = x0 + b * barW;
          const spread = bar.value === null || bar.spread === null || bar.spread === undefined ? null : bar.spread;
          const text = `${group.label} ${bar.label}: ${bar.value === null ? 'n/a' : bar.value.toFixed(1)}${spread === null ? '' : ` ± ${spread.toFixed(1)}`}`;
          const rect = `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW * 0.9).toFixed(1)}" height="${(margin.top + plotH - y).toFixed(1)}" fill="${bar.color}"><title>${escapeHtml(text)}</title></rect>`;
          if (spread === null) return rect;
          const cx = (x + barW * 0.45).toFixed(1);
          const [top, bottom] = [sy(v + spread).toFixed(1), sy(Math.max(0, v - spread)).toFixed(1)];
          const cap = (yy: string) => `<line x1="${(x + barW * 0.3).toFixed(1)}" x2="${(x + barW * 0.6).toFixed(1)}" y1="${yy}" y2="${yy}" class="whisker"/>`;
          return `${rect}<line x1="${cx}" x2="${cx}" y1="${top}" y2="${bottom}" class="whisker"/>${cap(top)}${cap(bottom)}`;
        })
        .join('');
      const reference =
        group.reference === undefined || group.reference === null
          ? ''
          : `<line x1="${x0.toFixed(1)}" x2="${(x0 + groupW * 0.8).toFixed(1)}" y1="${sy(group.reference).toFixed(1)}" y2="${sy(group.reference).toFixed(1)}" class="chance"/>`;
      return `${rects}${reference}<text x="${(x0 + groupW * 0.4).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${escapeHtml(group.label)}</text>`;
    })
    .join('');
  const legendItems = groups[0]?.bars.map((b) => ({ label: b.label, color: b.color })) ?? [];
  const legend = [...legendItems.map((item, i) => `<g transform="translate(${margin.left + i * 150},${height - 10})"><rect width="10" height="10" y="-9" fill="${item.color}"/><text x="14" y="0">${escapeHtml(item.label)}</text></g>`),
    groups.some((g) => g.reference !== undefined && g.reference !== null)
      ? `<g transform="translate(${margin.left + legendItems.length * 150},${height - 10})"><line x1="0" x2="14" y1="-4" y2="-4" class="chance"/><text x="18" y="0">chance</text></g>`
      : ''].join('');
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}">` +
    `<title>${escapeHtml(options.title)}</title>${grid}<text x="${margin.left + 4}" y="${margin.top - 10}" class="axis">${escapeHtml(options.yLabel)}</text>${bars}${legend}</svg>`
  );
}
