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
        xAxis: { type: 'time' },
        yAxis: { type: 'value', axisLabel: { formatter: format } },
        series: (data?.series ?? []).map((s) => ({
          type: 'line',
          name: name(s.labels),
          showSymbol: false,
          data: s.points,
        })),
      },
      true,
    );
  }, [data, name, unit]);
  return <div ref={ref} style={{ width: '100%', height }} />;
}
