/** A time-series line chart (ECharts, loaded with the monitoring pages only). */
import { useEffect, useRef } from 'react';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { RangeResult } from './api.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export function SeriesChart({
  data,
  name,
  unit,
  height = 180,
}: {
  data: RangeResult | undefined;
  name: (labels: Record<string, string>) => string;
  unit?: 'percent' | 'seconds' | 'bytes';
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current = echarts.init(ref.current);
    const resize = () => chart.current?.resize();
    const observer = new ResizeObserver(resize);
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    const format = (v: number) =>
      unit === 'percent'
        ? `${(v * 100).toFixed(1)}%`
        : unit === 'seconds'
          ? `${(v * 1000).toFixed(0)} ms`
          : unit === 'bytes'
            ? `${(v / 2 ** 30).toFixed(1)} GiB`
            : String(+v.toFixed(3));
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 56, right: 12, top: 28, bottom: 24 },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => format(Number(v)) },
        legend: { type: 'scroll', top: 0 },
        // The axis spans the chosen range, not whatever the points happen to cover (a fresh
        // installation's few points would otherwise sit on an axis of days).
        xAxis: { type: 'time', min: data?.from, max: data?.to, axisLabel: { hideOverlap: true } },
        yAxis: { type: 'value', axisLabel: { formatter: format } },
        series: (data?.series ?? []).map((s) => ({
          type: 'line',
          name: name(s.labels),
          // A series of a few points (a fresh node, a gap) shows them as dots rather than nothing.
          showSymbol: s.points.length <= 3,
          symbolSize: 5,
          data: s.points,
        })),
      },
      true,
    );
  }, [data, name, unit]);
  // What is drawn, for tests and tools (a canvas hides it): how many points, over which window.
  const points = (data?.series ?? []).reduce((n, x) => n + x.points.length, 0);
  return (
    <div ref={ref} data-points={data ? points : undefined} className="series-chart" style={{ width: '100%', height }} />
  );
}
