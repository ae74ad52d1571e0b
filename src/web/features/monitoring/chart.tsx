/** A time-series line chart (ECharts, loaded with the monitoring pages only). */
import { useEffect, useRef } from 'react';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { linearTrend } from '../../../shared/ops-overview.ts';
import type { RangeResult } from './api.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

// ECharts' default palette, set per line so a line's forecast has its colour.
const palette = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];
/** How far ahead a forecast is drawn: a quarter of the shown range. */
export const forecastShare = 0.25;

export function SeriesChart({
  data,
  name,
  unit,
  height = 180,
  forecast = false,
}: {
  data: RangeResult | undefined;
  name: (labels: Record<string, string>) => string;
  unit?: 'percent' | 'seconds' | 'bytes';
  height?: number;
  /** Each line's least-squares trend drawn ahead, dashed, for a quarter of the range. */
  forecast?: boolean;
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
    const series = data?.series ?? [];
    const ahead = data && forecast ? (data.to - data.from) * forecastShare : 0;
    const trends = series.map((x) => (ahead ? linearTrend(x.points) : null));
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 56, right: 12, top: 28, bottom: 24 },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => format(Number(v)) },
        legend: { type: 'scroll', top: 0 },
        // The axis spans the chosen range (and the forecast), not whatever the points happen to
        // cover (a fresh installation's few points would otherwise sit on an axis of days).
        xAxis: {
          type: 'time',
          min: data?.from,
          max: data ? data.to + ahead : undefined,
          axisLabel: { hideOverlap: true },
        },
        yAxis: { type: 'value', axisLabel: { formatter: format } },
        series: [
          ...series.map((s, i) => ({
            type: 'line',
            name: name(s.labels),
            color: palette[i % palette.length],
            // A series of a few points (a fresh node, a gap) shows them as dots rather than nothing.
            showSymbol: s.points.length <= 3,
            symbolSize: 5,
            data: s.points,
          })),
          // The same name as its line: one legend entry shows or hides both.
          ...series.flatMap((s, i) => {
            const trend = trends[i];
            const last = s.points.at(-1)?.[0];
            if (!trend || last === undefined || !data) return [];
            return [
              {
                type: 'line',
                name: name(s.labels),
                color: palette[i % palette.length],
                showSymbol: false,
                lineStyle: { type: 'dashed', width: 1.5 },
                tooltip: { show: false },
                data: [
                  [last, trend.at(last)],
                  [data.to + ahead, trend.at(data.to + ahead)],
                ],
              },
            ];
          }),
        ],
      },
      true,
    );
  }, [data, name, unit, forecast]);
  // What is drawn, for tests and tools (a canvas hides it): how many points, over which window.
  const points = (data?.series ?? []).reduce((n, x) => n + x.points.length, 0);
  return (
    <div
      ref={ref}
      data-points={data ? points : undefined}
      data-forecasts={forecast && data ? trendsDrawn(data) : undefined}
      className="series-chart"
      style={{ width: '100%', height }}
    />
  );
}

const trendsDrawn = (data: RangeResult) => data.series.filter((x) => linearTrend(x.points)).length;
