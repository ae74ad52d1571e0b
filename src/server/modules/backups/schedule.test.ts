/**
 * The contract's backup schedule, walked over a whole year with the fake clock on both engines:
 * the nightly backup at 03:00, the monthly off-site copy on the 1st at 04:30 and the quarterly
 * drill on the quarter's first day at 05:30, local time in the installation's `backupTimeZone`
 * (default Asia/Shanghai; Europe/Berlin too, whose clocks change twice a year), hourly watch at
 * :17. Each tick is enqueued once in the real jobs table, also when a restarted node (a new
 * scheduler) fires it again a little later, as croner does a moment after the tick.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { nextTick, Scheduler, type Schedule } from '../../lib/jobs/scheduler.ts';
import { createLogger } from '../../lib/logger.ts';
import { formatInZone } from '../../lib/time/index.ts';
import { allSchedules } from '../../main.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';

/** The local date and time (to the second) of an instant in `timeZone`. */
const local = (iso: string, timeZone: string) => {
  const f = formatInZone(timeZone, Date.parse(iso));
  return { date: f.slice(0, 10), time: f.slice(11, 19) };
};

describe.each(engines)('backup schedules over a year on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it.each([
    { zone: 'Asia/Shanghai', config: {} },
    { zone: 'Europe/Berlin', config: { backupTimeZone: 'Europe/Berlin' } },
  ])(
    'come due at the contract local times in $zone, each tick once',
    async ({ zone, config }) => {
      // Midnight of 1 January 2027, local.
      const start = new Date(Date.parse('2027-01-01T00:00:00Z') - (zone === 'Asia/Shanghai' ? 8 : 1) * 3600_000);
      const end = new Date(Date.parse('2028-01-01T00:00:00Z') - (zone === 'Asia/Shanghai' ? 8 : 1) * 3600_000);
      const clock = manualClock(start);
      t = await testApp(engine, { clock, config });
      expect(t.s.config.backupTimeZone).toBe(zone);
      const all = allSchedules(t.s.config).filter((s) => s.name.startsWith('backups.'));
      expect(all.map((s) => s.name)).toEqual(['backups.nightly', 'backups.offsite', 'backups.drill', 'backups.watch']);
      const log = createLogger('silent');
      let scheduler = new Scheduler({ db: t.s.db, clock, log });

      /** Walks the clock from tick to tick until `until`; every third tick the node restarts and fires it again. */
      const walk = async (schedules: Schedule[], until: Date) => {
        let n = 0;
        for (;;) {
          const due = schedules
            .map((s) => ({ s, at: nextTick(s, clock.now()) }))
            .filter((x): x is { s: Schedule; at: Date } => x.at !== null)
            .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
          if (!due || due.at >= until) return;
          // croner fires a moment after the tick.
          clock.set(new Date(due.at.getTime() + 400));
          expect(await scheduler.fire(due.s, clock.now())).toMatch(/^job_/);
          if (++n % 3 === 0) {
            // A restart just after: a new scheduler fires the same tick again, past the second.
            clock.set(new Date(due.at.getTime() + 1600));
            scheduler = new Scheduler({ db: t.s.db, clock, log });
            expect(await scheduler.fire(due.s, clock.now())).toBeNull();
            expect(nextTick(due.s, clock.now())!.getTime()).toBeGreaterThan(due.at.getTime());
          }
        }
      };
      await walk(
        all.filter((s) => s.name !== 'backups.watch'),
        end,
      );
      clock.set(start);
      await walk(
        all.filter((s) => s.name === 'backups.watch'),
        new Date(start.getTime() + 2 * 86_400_000),
      );

      const rows = await allTables(t.s)
        .selectFrom('jobs')
        .select(['type', 'unique_key'])
        .orderBy('unique_key')
        .execute();
      const ticks = (type: string) =>
        rows.filter((r) => r.type === type).map((r) => local(r.unique_key!.replace(/^schedule:[^:]+:/, ''), zone));
      const nightly = ticks('backups.nightly');
      expect(nightly).toHaveLength(365);
      expect(new Set(nightly.map((x) => x.date)).size).toBe(365);
      expect(nightly.every((x) => x.time === '03:00:00' && x.date.startsWith('2027-'))).toBe(true);
      expect(ticks('backups.offsite')).toEqual(
        Array.from({ length: 12 }, (_, m) => ({ date: `2027-${String(m + 1).padStart(2, '0')}-01`, time: '04:30:00' })),
      );
      expect(ticks('backups.drill')).toEqual(
        ['01', '04', '07', '10'].map((m) => ({ date: `2027-${m}-01`, time: '05:30:00' })),
      );
      const watch = ticks('backups.watch');
      expect(watch).toHaveLength(48);
      expect(watch.every((x) => x.time.endsWith(':17:00'))).toBe(true);
    },
    300_000,
  );
});
