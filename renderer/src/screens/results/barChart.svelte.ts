// The novel-view bar chart as a Svelte attachment: Base and +EVGAP side by side per held-out view, made once per
// canvas, redrawn in place with update('none') when the data changes, destroyed with the canvas.
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import type { ChartData, ChartOptions } from 'chart.js';
import { Chart } from '../training/chartSetup';
import { formatValue } from './delta';
import type { NovelViewBars } from './novelViewBars';

const baseColor = '#7d8794';
const evgapColor = '#5aa9e6';

function dataOf(bars: NovelViewBars): ChartData<'bar', (number | null)[], string> {
  return {
    labels: bars.views,
    datasets: [
      { label: 'Base', data: bars.base, backgroundColor: baseColor },
      { label: bars.evgapLabel, data: bars.evgap, backgroundColor: evgapColor },
    ],
  };
}

function optionsOf(bars: NovelViewBars): ChartOptions<'bar'> {
  return {
    plugins: {
      title: { display: true, text: `${bars.metric} per held-out view`, align: 'start', color: '#e3e6ea', font: { size: 12, weight: 'bold' } },
      legend: { position: 'bottom', labels: { boxWidth: 12 } },
      tooltip: {
        callbacks: {
          label: (item) => `${item.dataset.label}: ${formatValue(item.parsed.y, bars.decimals)}`,
          footer: (items) => {
            const delta = bars.deltas[items[0]?.dataIndex ?? -1];
            return delta ? `Δ ${delta.text}` : '';
          },
        },
      },
    },
    // Not from zero: the differences between Base and +EVGAP (a point or two) are what the chart is for.
    scales: { y: { beginAtZero: false, grace: '10%', title: { display: true, text: bars.metric } } },
  };
}

export function barChart(getBars: () => NovelViewBars): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(() => {
      const bars = getBars();
      return new Chart(canvas, { type: 'bar', data: dataOf(bars), options: optionsOf(bars) });
    });
    $effect(() => {
      const bars = getBars();
      chart.data = dataOf(bars);
      chart.options = optionsOf(bars);
      chart.update('none');
    });
    return () => chart.destroy();
  };
}
