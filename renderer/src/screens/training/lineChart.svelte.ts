// A chart.js line chart as a Svelte attachment: `<canvas {@attach lineChart(() => spec)}>`. The chart is made
// once when the canvas mounts; a child effect re-reads the spec and redraws in place with update('none'), so a
// live feed of steps never rebuilds the chart; it is destroyed when the canvas goes.
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import type { ChartDataset, ChartOptions } from 'chart.js';
import { Chart } from './chartSetup';
import type { LineChartSpec } from './trainingCharts';

type XY = { x: number; y: number };

function datasetsOf(spec: LineChartSpec): ChartDataset<'line', XY[]>[] {
  return spec.series.map((series) => ({
    label: series.label,
    data: series.points as XY[],
    borderColor: series.color,
    backgroundColor: series.color,
    borderWidth: 1.5,
    borderDash: series.dashed ? [5, 4] : [],
    pointRadius: series.points.length > 40 ? 0 : 2,
  }));
}

function optionsOf(spec: LineChartSpec): ChartOptions<'line'> {
  return {
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      title: { display: true, text: spec.title, align: 'start', color: '#e3e6ea', font: { size: 12, weight: 'bold' } },
      legend: { display: spec.series.length > 1, position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
    },
    scales: {
      x: { type: 'linear', title: { display: true, text: spec.xLabel } },
      y: { type: 'linear', title: { display: true, text: spec.yLabel } },
    },
  };
}

export function lineChart(getSpec: () => LineChartSpec): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(() => {
      const spec = getSpec();
      return new Chart(canvas, { type: 'line', data: { datasets: datasetsOf(spec) }, options: optionsOf(spec) });
    });
    $effect(() => {
      const spec = getSpec();
      chart.data.datasets = datasetsOf(spec);
      chart.options = optionsOf(spec);
      chart.update('none');
    });
    return () => chart.destroy();
  };
}
