// The novel-view bar chart as a Svelte attachment: Base and +EVGAP side by side per held-out view on an axis from
// 0, each bar with a ±1 standard deviation whisker over the seeds (when there are two or more), made once per
// canvas, redrawn in place with update('none') when the data changes, destroyed with the canvas.
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import type { ChartData, ChartOptions, Plugin } from 'chart.js';
import type { NovelViewSection, SeedStat } from '../../../../contract/report';
import { deltaText, statText } from '../../../../contract/reportTables';
import { Chart } from '../training/chartSetup';

const baseColor = '#7d8794';
const evgapColor = '#5aa9e6';

/** The bars: the novel-view rows' Avg (the publication plots Avg), Base and +EVGAP. */
function series(section: NovelViewSection): SeedStat[][] {
  return [section.rows.map((row) => row.base.avg), section.rows.map((row) => row.evgap.avg)];
}

function dataOf(section: NovelViewSection): ChartData<'bar', (number | null)[], string> {
  const [base, evgap] = series(section);
  return {
    labels: section.rows.map((row) => row.view),
    datasets: [
      { label: 'Base', data: base!.map((s) => s.mean), backgroundColor: baseColor },
      { label: '+EVGAP', data: evgap!.map((s) => s.mean), backgroundColor: evgapColor },
    ],
  };
}

export function barChartOptions(section: NovelViewSection): ChartOptions<'bar'> {
  const [base, evgap] = series(section);
  const stats = [base!, evgap!];
  // Room for the whiskers above the tallest bar.
  const top = Math.max(0, ...stats.flat().map((s) => (s.mean ?? 0) + (s.n >= 2 ? (s.std ?? 0) : 0)));
  return {
    plugins: {
      title: { display: true, text: 'Avg per held-out view', align: 'start', color: '#e3e6ea', font: { size: 12, weight: 'bold' } },
      legend: { position: 'bottom', labels: { boxWidth: 12 } },
      tooltip: {
        callbacks: {
          label: (item) => {
            const text = statText(stats[item.datasetIndex]![item.dataIndex]!);
            return `${item.dataset.label}: ${text.mean}${text.spread ? ` ${text.spread}` : ''}`;
          },
          footer: (items) => {
            const row = section.rows[items[0]?.dataIndex ?? -1];
            if (!row) return '';
            const text = deltaText(row.delta.avg);
            return `Δ ${text.mean}${text.spread ? ` ${text.spread}` : ''}`;
          },
        },
      },
    },
    // From 0, so bar lengths compare honestly; the whiskers and the Δ under the chart show the differences.
    scales: { y: { beginAtZero: true, min: 0, suggestedMax: top, grace: '5%', title: { display: true, text: 'Avg (%)' } } },
  };
}

/** Draws each bar's ±std whisker (Chart.js has no error bars of its own). */
function whiskers(getSection: () => NovelViewSection): Plugin<'bar'> {
  return {
    id: 'seedWhiskers',
    afterDatasetsDraw(chart) {
      const stats = series(getSection());
      const y = chart.scales['y'];
      if (!y) return;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = '#e3e6ea';
      ctx.lineWidth = 1;
      chart.data.datasets.forEach((_, d) => {
        const meta = chart.getDatasetMeta(d);
        if (meta.hidden) return;
        meta.data.forEach((bar, i) => {
          const stat = stats[d]?.[i];
          if (!stat || stat.mean === null || stat.std === null || stat.n < 2) return;
          const x = bar.x;
          const top = y.getPixelForValue(stat.mean + stat.std);
          const bottom = y.getPixelForValue(Math.max(0, stat.mean - stat.std));
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.moveTo(x - 4, top);
          ctx.lineTo(x + 4, top);
          ctx.moveTo(x - 4, bottom);
          ctx.lineTo(x + 4, bottom);
          ctx.stroke();
        });
      });
      ctx.restore();
    },
  };
}

export function barChart(getSection: () => NovelViewSection): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(() => {
      const section = getSection();
      return new Chart(canvas, { type: 'bar', data: dataOf(section), options: barChartOptions(section), plugins: [whiskers(getSection)] });
    });
    $effect(() => {
      const section = getSection();
      chart.data = dataOf(section);
      chart.options = barChartOptions(section);
      chart.update('none');
    });
    return () => chart.destroy();
  };
}

