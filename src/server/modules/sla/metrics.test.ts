/**
 * The SLA module's gauges on both engines, read from the registry as /metrics and the sampler read
 * them: the tickets and incidents scanners' last completed scan (written by the job on whichever node ran it)
 * and each workspace's working hours by its calendars, at fake-clock times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { cnDayKind } from '../../lib/time/cn-holidays.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { Scheduler } from '../../lib/jobs/scheduler.ts';
import { allSchedules, registerJobs } from '../../main.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const weekdays = {
  timezone: 'Asia/Shanghai',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
  holidays: 'CN',
  overrides: [],
};

describe.each(engines)('the SLA gauges on %s', (engine) => {
  let t: TestApp;
  const clock = manualClock(at('2026-03-02T08:00:00')); // a Monday, before opening
  const value = async (name: string, labels: Record<string, string>) => {
    const m = await t.s.metrics.getSingleMetric(name)!.get();
    return m.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
  };

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const { owner } = await t.workspace('shop');
    await t.workspace('round-the-clock');
    expect((await owner.post('/api/calendars', { name: '工作日', definition: weekdays })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it("say until when mainland China's holidays are known, for the workspaces whose calendars use them", async () => {
    const until = await value('kefu_sla_calendar_holidays_known_until_seconds', { workspace: 'shop' });
    // The end of the last year the installed data covers, at Beijing midnight: a year with holidays,
    // and the next year none (so the warning is about a real gap, not an off-by-one).
    const last = new Date((until! - 1) * 1000 + 8 * 3_600_000).getUTCFullYear();
    expect(until).toBe(Date.parse(`${last + 1}-01-01T00:00:00+08:00`) / 1000);
    expect(cnDayKind(`${last}-10-01`)).toBe('holiday');
    expect(cnDayKind(`${last + 1}-10-01`)).toBe('regular');
    // A workspace without a calendar (7×24) or with its own days off gets no series.
    expect(
      await value('kefu_sla_calendar_holidays_known_until_seconds', { workspace: 'round-the-clock' }),
    ).toBeUndefined();
    const own = await t.workspace('own-days');
    const mine = { ...weekdays, holidays: ['2026-05-01'] };
    expect((await own.owner.post('/api/calendars', { name: '自定义', definition: mine })).statusCode).toBe(200);
    expect(await value('kefu_sla_calendar_holidays_known_until_seconds', { workspace: 'own-days' })).toBeUndefined();
  });

  it('report when the tickets scanner last completed a scan, and how long ago', async () => {
    expect(await value('kefu_sla_scan_last_completed_timestamp_seconds', { scanner: 'tickets' })).toBeUndefined();
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    const scan = async (name: string) => {
      await scheduler.fire(
        allSchedules().find((x) => x.name === name)!,
        clock.now(),
      );
      while ((await worker.tick()) > 0);
    };
    await scan('tickets.sla_check');
    expect(await value('kefu_sla_scan_age_seconds', { scanner: 'incidents' })).toBeUndefined();
    const scanned = clock.now().getTime() / 1000;
    expect(await value('kefu_sla_scan_last_completed_timestamp_seconds', { scanner: 'tickets' })).toBe(scanned);
    expect(await value('kefu_sla_scan_age_seconds', { scanner: 'tickets' })).toBe(0);
    clock.advance(5 * 60_000); // no scan for five minutes: the age grows, the timestamp stays
    expect(await value('kefu_sla_scan_age_seconds', { scanner: 'tickets' })).toBe(300);
    expect(await value('kefu_sla_scan_last_completed_timestamp_seconds', { scanner: 'tickets' })).toBe(scanned);
    // The incidents scanner reports on its own.
    await scan('incidents.sla_check');
    expect(await value('kefu_sla_scan_age_seconds', { scanner: 'incidents' })).toBe(0);
    expect(await value('kefu_sla_scan_age_seconds', { scanner: 'tickets' })).toBe(300);
    // /metrics shows the same series (with this node's label).
    const text = await t.s.metrics.metrics();
    expect(text).toMatch(/kefu_sla_scan_last_completed_timestamp_seconds\{scanner="tickets"[^}]*\} \d+/);
  });

  it("say whether each workspace is in its calendars' working hours (no calendar: 7×24)", async () => {
    clock.set(at('2026-03-02T08:59:00'));
    expect(await value('kefu_sla_calendar_open', { workspace: 'shop' })).toBe(0);
    expect(await value('kefu_sla_calendar_open', { workspace: 'round-the-clock' })).toBe(1);
    clock.set(at('2026-03-02T09:00:00'));
    expect(await value('kefu_sla_calendar_open', { workspace: 'shop' })).toBe(1);
    clock.set(at('2026-03-07T10:00:00')); // Saturday
    expect(await value('kefu_sla_calendar_open', { workspace: 'shop' })).toBe(0);
  });
});
