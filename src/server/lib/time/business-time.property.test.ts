/**
 * Properties of business-time arithmetic over random calendars in Asia/Shanghai (no DST),
 * America/New_York and Europe/Berlin (DST), 2024–2026, with and without CN holidays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addBusinessTime, businessTimeBetween, isBusinessTime } from './business-time.ts';
import { parseHhmm, type Calendar } from './calendar.ts';
import { dayPlan } from './working-days.ts';
import {
  DAY_MS,
  HOUR,
  MIN,
  calendar,
  calendarArb,
  dayHoursArb,
  instantArb,
  localDateTimeOf,
  nearDstArb,
  nextDate,
  shanghai,
  zones,
} from './test-fixtures.ts';

const ms = (d: Date) => d.getTime();

describe('addBusinessTime and businessTimeBetween are inverse', () => {
  it('between(a, add(a, x)) = x', () => {
    fc.assert(
      fc.property(calendarArb(), instantArb, fc.integer({ min: 0, max: 40 * HOUR }), (cal, a, x) => {
        expect(businessTimeBetween(cal, a, addBusinessTime(cal, a, x))).toBe(x);
      }),
      { numRuns: 150 },
    );
  });

  it('add(a, between(a, b)) is the earliest instant with that much working time: ≤ b, nothing in between', () => {
    fc.assert(
      fc.property(calendarArb(), instantArb, fc.integer({ min: 0, max: 10 * DAY_MS }), (cal, a, span) => {
        const b = a + span;
        const back = ms(addBusinessTime(cal, a, businessTimeBetween(cal, a, b)));
        expect(back).toBeLessThanOrEqual(b);
        expect(businessTimeBetween(cal, back, b)).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('between is additive: [a, c) = [a, b) + [b, c)', () => {
    fc.assert(
      fc.property(
        calendarArb(),
        instantArb,
        fc.integer({ min: 0, max: 5 * DAY_MS }),
        fc.integer({ min: 0, max: 5 * DAY_MS }),
        (cal, a, x, y) => {
          expect(businessTimeBetween(cal, a, a + x + y)).toBe(
            businessTimeBetween(cal, a, a + x) + businessTimeBetween(cal, a + x, a + x + y),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('add is monotonic and never moves backwards', () => {
    fc.assert(
      fc.property(
        calendarArb(),
        instantArb,
        fc.integer({ min: 0, max: 20 * HOUR }),
        fc.integer({ min: 0, max: 20 * HOUR }),
        (cal, a, x, y) => {
          const p = ms(addBusinessTime(cal, a, Math.min(x, y)));
          const q = ms(addBusinessTime(cal, a, Math.max(x, y)));
          expect(p).toBeGreaterThanOrEqual(a);
          expect(q).toBeGreaterThanOrEqual(p);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('agreement with a per-minute oracle (wall clock read through Intl, minute by minute)', () => {
  // The oracle asks, for every minute, "what does the wall clock say, and is that minute inside
  // the hours of that local date?" — an independent reading of the calendar, including DST days.
  const inHours = (cal: Calendar, date: string, minuteOfDay: number) =>
    dayPlan(cal, date).hours.some(
      ([s, e]) => minuteOfDay >= (parseHhmm(s) as number) && minuteOfDay < (parseHhmm(e, true) as number),
    );

  it('counts the same minutes', () => {
    fc.assert(
      fc.property(calendarArb(), instantArb, fc.integer({ min: 0, max: 2 * 24 * 60 }), (cal, a, minutes) => {
        let expected = 0;
        for (let t = a; t < a + minutes * MIN; t += MIN) {
          const l = localDateTimeOf(cal.timezone, t);
          if (inHours(cal, l.date, l.minuteOfDay)) expected++;
        }
        expect(businessTimeBetween(cal, a, a + minutes * MIN)).toBe(expected * MIN);
      }),
      { numRuns: 60 },
    );
  });

  it('counts the same minutes around DST changes (New York, Berlin)', () => {
    const arb = nearDstArb.chain(({ timezone, t }) =>
      fc.record({
        cal: calendarArb(fc.constant(timezone)),
        a: fc.constant(t),
        minutes: fc.integer({ min: 0, max: 30 * 60 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ cal, a, minutes }) => {
        let expected = 0;
        for (let t = a; t < a + minutes * MIN; t += MIN) {
          const l = localDateTimeOf(cal.timezone, t);
          if (inHours(cal, l.date, l.minuteOfDay)) expected++;
        }
        expect(businessTimeBetween(cal, a, a + minutes * MIN)).toBe(expected * MIN);
      }),
      { numRuns: 80 },
    );
  });

  it('stays inverse around DST changes', () => {
    const arb = nearDstArb.chain(({ timezone, t }) =>
      fc.record({
        cal: calendarArb(fc.constant(timezone)),
        a: fc.constant(t),
        x: fc.integer({ min: 0, max: 30 * HOUR }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ cal, a, x }) => {
        expect(businessTimeBetween(cal, a, addBusinessTime(cal, a, x))).toBe(x);
      }),
      { numRuns: 150 },
    );
  });
});

describe('interval boundaries are half-open', () => {
  const anyDayArb = fc.oneof(
    fc.tuple(calendarArb(), instantArb),
    nearDstArb.chain(({ timezone, t }) => fc.tuple(calendarArb(fc.constant(timezone)), fc.constant(t))),
  );

  it('the start minute is inside, the end instant outside, the last millisecond inside', () => {
    fc.assert(
      fc.property(anyDayArb, ([cal, t]) => {
        const date = localDateTimeOf(cal.timezone, t).date;
        const hours = dayPlan(cal, date).hours;
        hours.forEach(([s, e], i) => {
          const start = Date.parse(addBusinessTime(cal, `${date}T${s}`, 0).toISOString());
          const end =
            e === '24:00'
              ? ms(addBusinessTime(cal, `${nextDate(date)}T00:00`, 0))
              : ms(addBusinessTime(cal, `${date}T${e}`, 0));
          if (end <= start) return; // swallowed by a spring-forward gap
          // The next interval abuts this one when it starts at the same instant: by name ("12:00"
          // after "12:00"), across midnight, or across a spring-forward gap (02:00 does not exist
          // on that day in New York, so an interval ending at 02:00 meets one starting at 03:00).
          const next = hours[i + 1];
          const abutsNext = next
            ? ms(addBusinessTime(cal, `${date}T${next[0]}`, 0)) === end
            : e === '24:00' && dayPlan(cal, nextDate(date)).hours[0]?.[0] === '00:00';
          expect(isBusinessTime(cal, start)).toBe(true);
          expect(isBusinessTime(cal, end - 1)).toBe(true);
          expect(isBusinessTime(cal, end)).toBe(abutsNext);
          expect(businessTimeBetween(cal, end - 1, end + 1)).toBe(abutsNext ? 2 : 1);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('holidays and make-up workdays (holidays: "CN")', () => {
  const holidays = Object.keys(data.holidays).filter((d) => d >= '2024' && d < '2027');
  const makeups = Object.keys(data.workdays).filter((d) => d >= '2024' && d < '2027');
  const total = (hours: [string, string][]) =>
    hours.reduce((sum, [s, e]) => sum + ((parseHhmm(e, true) as number) - (parseHhmm(s) as number)) * MIN, 0);
  const weekArb = fc.array(dayHoursArb, { minLength: 7, maxLength: 7 }).filter((w) => w.some((d) => d.length > 0));
  const cnCalendar = (week: [string, string][][], overrides: Calendar['overrides'] = []) =>
    calendar({
      timezone: 'Asia/Shanghai',
      hours: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((k, i) => [k, week[i]])),
      holidays: 'CN',
      overrides,
    });
  const dayLength = (cal: Calendar, date: string) =>
    businessTimeBetween(cal, `${date}T00:00`, `${nextDate(date)}T00:00`);

  it('a public holiday has no working time, whatever the weekly hours', () => {
    fc.assert(
      fc.property(weekArb, fc.constantFrom(...holidays), (week, date) => {
        expect(dayLength(cnCalendar(week), date)).toBe(0);
      }),
    );
  });

  it('a make-up workday works Monday’s hours, even on a weekend', () => {
    fc.assert(
      fc.property(weekArb, fc.constantFrom(...makeups), (week, date) => {
        expect(dayLength(cnCalendar(week), date)).toBe(total(week[1]));
      }),
    );
  });

  it('an ordinary day works its weekday’s hours', () => {
    fc.assert(
      fc.property(weekArb, instantArb, (week, t) => {
        const date = localDateTimeOf('Asia/Shanghai', t).date;
        fc.pre(!holidays.includes(date) && !makeups.includes(date));
        expect(dayLength(cnCalendar(week), date)).toBe(total(week[new Date(`${date}T12:00:00Z`).getUTCDay()]));
      }),
    );
  });

  it('an override wins over holidays, make-up days and weekdays', () => {
    fc.assert(
      fc.property(
        weekArb,
        dayHoursArb,
        fc.constantFrom(...holidays, ...makeups, '2025-03-17', '2025-03-15'),
        (week, hours, date) => {
          expect(dayLength(cnCalendar(week, [{ date, hours }]), date)).toBe(total(hours));
        },
      ),
    );
  });
});

describe('DST', () => {
  it('a 00:00–24:00 day lasts exactly the real length of the local date (23, 24 or 25 h)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instantArb, (timezone, t) => {
        const cal = calendar({
          timezone,
          hours: Object.fromEntries(
            ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((k) => [k, [['00:00', '24:00']]]),
          ),
        });
        const date = localDateTimeOf(timezone, t).date;
        const start = ms(addBusinessTime(cal, `${date}T00:00`, 0));
        const end = ms(addBusinessTime(cal, `${nextDate(date)}T00:00`, 0));
        const length = businessTimeBetween(cal, start, end);
        expect(length).toBe(end - start);
        expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(length);
        if (timezone === 'Asia/Shanghai') expect(length).toBe(24 * HOUR);
      }),
      { numRuns: 200 },
    );
  });

  it('the office day is 7.5 h every working day in Shanghai', () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const date = localDateTimeOf('Asia/Shanghai', t).date;
        const len = businessTimeBetween(shanghai, `${date}T00:00`, `${nextDate(date)}T00:00`);
        expect([0, 7.5 * HOUR]).toContain(len);
      }),
    );
  });
});
