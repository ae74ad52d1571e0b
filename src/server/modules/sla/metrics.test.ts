/**
 * The SLA module's gauges on both engines, read from the registry as /metrics and the sampler read
 * them: the tickets and incidents scanners' last completed scan (written by the job on whichever node ran it)
 * and each workspace's working hours by its calendars, at fake-clock times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
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
