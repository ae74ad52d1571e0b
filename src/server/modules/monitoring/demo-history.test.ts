/**
 * The living demo's history: after the monitoring seed (the built-in probes, then the history),
 * every overview chart's expression (the console's own list) gives a line across the last hour
 * through the range-query route, with figures in their plausible ranges, and yesterday's daily
 * health report has every figure (availability of each built-in probe, memory and event-loop
 * peaks) and flags exactly the two blips planted in it, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewCharts } from '../../../shared/ops-overview.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { computeReport, kindOf, previousPeriod, type ReportDocument } from '../reports/index.ts';
import { demoHistory } from './demo-history.ts';
import { monitoringModule } from './index.ts';
import { runtime } from './runtime.ts';
import { rangeQuery } from './query.ts';

const base = { cpu: 0.2, memTotal: 8e9, memAvailable: 6e9, diskFree: 50e9 };

describe('demoHistory', () => {
  it('covers the hour before now, every 30 s, with counters that only grow', () => {
    const now = Date.UTC(2026, 11, 5, 12, 0, 0);
    const batches = demoHistory('n1', base, now);
    expect(batches).toHaveLength(120);
    expect(batches[0].t).toBe(now - 3600_000);
    expect(batches.at(-1)!.t).toBe(now - 30_000);
    const messages = batches.map((b) => b.samples.find((x) => x.name === 'kefu_chat_messages_committed_total')!.value);
    expect(messages.every((v, i) => i === 0 || v >= messages[i - 1])).toBe(true);
    expect(messages.at(-1)!).toBeGreaterThan(messages[0]);
    for (const b of batches) {
      const cpu = b.samples.find((x) => x.name === 'kefu_host_cpu_usage_ratio')!.value;
      expect(cpu).toBeGreaterThan(0);
      expect(cpu).toBeLessThan(1);
      expect(b.samples.every((x) => x.labels.node === 'n1')).toBe(true);
      // p95 beside each route's p99 (the daily health report's API p95), below it.
      const p95 = b.samples.filter((x) => x.name === 'kefu_http_request_duration_seconds_p95');
      const p99 = b.samples.filter((x) => x.name === 'kefu_http_request_duration_seconds_p99');
      expect(p95.map((x) => x.labels)).toEqual(p99.map((x) => x.labels));
      p95.forEach((x, k) => expect(x.value).toBeLessThan(p99[k]!.value));
    }
    expect(demoHistory('n1', base, now)).toEqual(batches);
  });
});

describe('demoHistory on a busy host', () => {
  it('stays clear of its caps at every hour of seeding, so the daily report flags only the planted blips', () => {
    const busy = { cpu: 0.97, memTotal: 8e9, memAvailable: 0.3e9, diskFree: 50e9 };
    for (let h = 0; h < 24; h++) {
      const batches = demoHistory('n1', busy, Date.UTC(2026, 11, 5, h, 20), { olderHours: 47, olderDays: 8 });
      const of = (name: string) => batches.map((b) => b.samples.find((x) => x.name === name)!.value);
      expect(Math.max(...of('kefu_host_cpu_usage_ratio')), `seeded at ${h}:20 UTC`).toBeLessThan(0.9);
      const used = of('kefu_host_memory_available_bytes').map((available) => 1 - available / busy.memTotal);
      expect(Math.max(...used), `seeded at ${h}:20 UTC`).toBeLessThan(0.9);
    }
  });
});

describe.each(engines)('the seeded demo history on %s', (engine) => {
  let t: TestApp;
  let ws: string;
  beforeAll(async () => {
    t = await testApp(engine, { config: { demoData: true } });
    const demo = await t.workspace('demo');
    ws = demo.id;
    await monitoringModule.seed!(t.s, { workspaceId: ws, ownerId: demo.owner.actor.userId });
  }, 180_000); // ten days of history (the daily report's day and the 7 before it) before the hour
  afterAll(async () => t?.close());

  it('gives every overview chart a line over the last hour', async () => {
    const now = t.s.clock.now().getTime();
    const r = { rawHours: 48, minuteDays: 14, hourDays: 400 };
    for (const c of overviewCharts) {
      const res = await rangeQuery(runtime(t.s).store, c.expr, now - 3600_000, now, now, r);
      expect(res.series.length, c.key).toBeGreaterThan(0);
      const points = res.series.flatMap((x) => x.points);
      // 500 steps over the hour; everything after the first 5 minutes (the rates' window) has a value.
      expect(points.length, c.key).toBeGreaterThan(300);
      expect(Math.min(...points.map((p) => p[0])), c.key).toBeLessThan(now - 50 * 60_000);
      const values = points.map((p) => p[1]);
      if (c.unit === 'percent') {
        expect(Math.min(...values), c.key).toBeGreaterThanOrEqual(0);
        expect(Math.max(...values), c.key).toBeLessThanOrEqual(1);
      }
      if (c.key === 'messages' || c.key === 'online') expect(Math.max(...values), c.key).toBeGreaterThan(0);
    }
    // Through the route the console calls, as the installation's owner.
    const { owner } = await t.workspace('ops-home', { installationOwner: true });
    const from = new Date(now - 3600_000).toISOString();
    const res = await owner.get(`/api/ops/query_range?expr=kefu_host_cpu_usage_ratio&from=${from}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().series[0].points.length).toBeGreaterThan(300);
  });

  it("fills yesterday's daily health report from the history, flagging only the planted blips", async () => {
    const now = t.s.clock.now().getTime();
    const key = previousPeriod(kindOf('daily'), 'Asia/Shanghai', now).key;
    const doc: ReportDocument = await computeReport(t.s, ws, 'daily', key);
    const section = (id: string) => doc.sections.find((x) => x.id === id)!;
    const blocks = (id: string) => section(id).blocks;
    // Availability: a share for each built-in probe; only the demo's push probe (off) has no checks.
    const availability = blocks('availability').find((b) => b.kind === 'table')!;
    const rows = availability.kind === 'table' ? availability.rows : [];
    expect(rows.map((r) => r[0])).toEqual(['kefu-live', 'kefu-ready', 'kefu-widget', '订单同步任务']);
    for (const r of rows.slice(0, 3)) expect(r[2], String(r[0])).toBe('100.00 %');
    expect(rows[3]![2]).toEqual({ zh: '无检测', en: 'No checks' });
    // Every figure of the performance section has a value, in its unit.
    const figures = blocks('performance').find((b) => b.kind === 'figures')!;
    const items = figures.kind === 'figures' ? figures.items : [];
    const value = (en: RegExp) => items.find((x) => en.test(x.label.en))!.value;
    expect(value(/^Memory peak/)).toMatch(/^\d[\d,]* MB$/);
    expect(value(/^Event-loop delay peak/)).toBe('180 ms');
    expect(value(/^API p99/)).toMatch(/^\d[\d.,]* ms \/ \d[\d.,]* ms$/);
    expect(
      items.every((x) => !x.value.includes('-')),
      JSON.stringify(items),
    ).toBe(true);
    // Anomalies: the evening's slow API hour (20:00) and the night's event-loop stall (03:00), nothing else.
    const flagged = blocks('anomalies').find((b) => b.kind === 'table')!;
    const anomalies = flagged.kind === 'table' ? flagged.rows.map((r) => [String(r[0]).slice(11), r[1]]) : [];
    expect(anomalies).toEqual([
      ['03:00', 'kefu_nodejs_eventloop_lag_p99_seconds'],
      ['20:00', 'kefu_http_request_duration_seconds_p99'],
    ]);
  }, 120_000);
});
