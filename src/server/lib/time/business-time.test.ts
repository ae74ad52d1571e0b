/**
 * Hand-computed cases. Office calendar (test-fixtures `shanghai`): Mon–Fri 09:00–12:00 and
 * 13:30–18:00 (7.5 h a day), mainland holidays. Dates checked against a 2025 wall calendar:
 * 2025-03-14 is a Friday, 2025-09-26 a Friday, 2025-10-01 a Wednesday, 2025-10-11 a Saturday.
 */
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, isBusinessTime, nextOpening } from './business-time.ts';
import { HOUR, MIN, calendar, fmt, newYork, shanghai } from './test-fixtures.ts';

const add = (cal: typeof shanghai, start: string, minutes: number, businessHours = true) =>
  fmt(addBusinessTime(cal, start, minutes * MIN, { businessHours }), cal.timezone);

describe('addBusinessTime: Asia/Shanghai office hours with CN holidays', () => {
  it.each([
    ['Friday 17:50 + 30 min → Monday 09:20', '2025-03-14T17:50', 30, '2025-03-17T09:20:00+08:00'],
    [
      'Friday 17:50 + 30 min before National Day → make-up Sunday Sep 28 09:20',
      '2025-09-26T17:50',
      30,
      '2025-09-28T09:20:00+08:00',
    ],
    ['lunch break: 11:50 + 30 min → 13:50', '2025-03-17T11:50', 30, '2025-03-17T13:50:00+08:00'],
    [
      'budget ending at an interval end gives the end, not the next opening',
      '2025-03-17T10:00',
      120,
      '2025-03-17T12:00:00+08:00',
    ],
    ['budget ending at the day end gives 18:00', '2025-03-17T17:00', 60, '2025-03-17T18:00:00+08:00'],
    ['start in the lunch break: 12:00 + 1 min → 13:31', '2025-03-17T12:00', 1, '2025-03-17T13:31:00+08:00'],
    ['start at 18:00 exactly (outside): + 1 min → next day 09:01', '2025-03-17T18:00', 1, '2025-03-18T09:01:00+08:00'],
    ['National Day: Tue Sep 30 17:00 + 120 → Thu Oct 9 10:00', '2025-09-30T17:00', 120, '2025-10-09T10:00:00+08:00'],
    ['National Day: Tue Sep 30 17:00 + 480 → Thu Oct 9 17:30', '2025-09-30T17:00', 480, '2025-10-09T17:30:00+08:00'],
    [
      'created during the holiday: Fri Oct 3 10:00 + 30 → Oct 9 09:30',
      '2025-10-03T10:00',
      30,
      '2025-10-09T09:30:00+08:00',
    ],
    [
      'make-up Saturday: Fri Oct 10 17:00 + 120 → Sat Oct 11 10:00',
      '2025-10-10T17:00',
      120,
      '2025-10-11T10:00:00+08:00',
    ],
    [
      'after the make-up Saturday: Sat Oct 11 17:30 + 60 → Mon Oct 13 09:30',
      '2025-10-11T17:30',
      60,
      '2025-10-13T09:30:00+08:00',
    ],
    [
      'weekend before a make-up Sunday: Sat Sep 27 10:00 + 30 → Sun Sep 28 09:30',
      '2025-09-27T10:00',
      30,
      '2025-09-28T09:30:00+08:00',
    ],
    [
      'Spring Festival 2025: Mon Jan 27 17:00 + 120 → Wed Feb 5 10:00',
      '2025-01-27T17:00',
      120,
      '2025-02-05T10:00:00+08:00',
    ],
    ['a full week: Mon 09:00 + 5 × 450 min → Fri 18:00', '2025-03-17T09:00', 5 * 450, '2025-03-21T18:00:00+08:00'],
  ])('%s', (_name, start, minutes, due) => {
    expect(add(shanghai, start, minutes)).toBe(due);
  });

  it('adds calendar time with businessHours: false', () => {
    expect(add(shanghai, '2025-03-14T17:50', 30, false)).toBe('2025-03-14T18:20:00+08:00');
    expect(add(shanghai, '2025-09-30T17:00', 120, false)).toBe('2025-09-30T19:00:00+08:00');
  });

  it('adds nothing for 0 ms, even outside hours', () => {
    expect(add(shanghai, '2025-03-15T03:00', 0)).toBe('2025-03-15T03:00:00+08:00');
  });

  it('honours overrides: a working holiday and a closed Monday', () => {
    const cal = calendar({
      ...shanghai,
      overrides: [
        { date: '2025-10-08', hours: [['10:00', '16:00']] },
        { date: '2025-03-17', hours: [] },
      ],
    });
    expect(add(cal, '2025-09-30T17:00', 120)).toBe('2025-10-08T11:00:00+08:00');
    expect(add(cal, '2025-03-14T17:50', 30)).toBe('2025-03-18T09:20:00+08:00');
  });
});

describe('businessTimeBetween', () => {
  it.each([
    ['a working day', '2025-03-17T00:00', '2025-03-18T00:00', 7.5 * HOUR],
    [
      'the National Day fortnight: Sep 29, 30, Oct 9, 10 and make-up Oct 11',
      '2025-09-29T00:00',
      '2025-10-13T00:00',
      37.5 * HOUR,
    ],
    ['the holiday itself', '2025-10-01T00:00', '2025-10-09T00:00', 0],
    ['make-up Sunday Sep 28', '2025-09-28T00:00', '2025-09-29T00:00', 7.5 * HOUR],
    ['across lunch', '2025-03-17T11:00', '2025-03-17T14:00', 90 * MIN],
    ['a night', '2025-03-17T17:00', '2025-03-18T10:00', 2 * HOUR],
    ['Friday 17:50 to Monday 09:20', '2025-03-14T17:50', '2025-03-17T09:20', 30 * MIN],
  ])('%s', (_name, a, b, ms) => {
    expect(businessTimeBetween(shanghai, a, b)).toBe(ms);
  });

  it('is negative when b is before a, and counts calendar time when asked', () => {
    expect(businessTimeBetween(shanghai, '2025-03-17T14:00', '2025-03-17T11:00')).toBe(-90 * MIN);
    expect(businessTimeBetween(shanghai, '2025-03-17T11:00', '2025-03-17T14:00', { businessHours: false })).toBe(
      3 * HOUR,
    );
  });
});

describe('half-open intervals', () => {
  it('puts an interval’s start inside and its end outside', () => {
    expect(isBusinessTime(shanghai, '2025-03-17T09:00')).toBe(true);
    expect(isBusinessTime(shanghai, '2025-03-17T08:59:59.999')).toBe(false);
    expect(isBusinessTime(shanghai, '2025-03-17T11:59:59.999')).toBe(true);
    expect(isBusinessTime(shanghai, '2025-03-17T12:00')).toBe(false);
    expect(isBusinessTime(shanghai, '2025-03-17T13:30')).toBe(true);
    expect(isBusinessTime(shanghai, '2025-03-17T18:00')).toBe(false);
    expect(businessTimeBetween(shanghai, '2025-03-17T12:00', '2025-03-17T13:30')).toBe(0);
  });

  it('finds the next opening (where a clock created outside hours starts counting)', () => {
    expect(fmt(nextOpening(shanghai, '2025-03-14T18:00'))).toBe('2025-03-17T09:00:00+08:00');
    expect(fmt(nextOpening(shanghai, '2025-03-17T12:00'))).toBe('2025-03-17T13:30:00+08:00');
    expect(fmt(nextOpening(shanghai, '2025-03-17T10:15'))).toBe('2025-03-17T10:15:00+08:00');
    expect(fmt(nextOpening(shanghai, '2025-09-30T18:00'))).toBe('2025-10-09T09:00:00+08:00');
  });
});

describe('DST zones', () => {
  const allDay = (timezone: string, hours: [string, string][]) => calendar({ timezone, hours: { sun: hours } });

  it.each([
    ['New York spring forward (Sun 2025-03-09): 23 h', 'America/New_York', '2025-03-09', 23 * HOUR],
    ['New York fall back (Sun 2025-11-02): 25 h', 'America/New_York', '2025-11-02', 25 * HOUR],
    ['Berlin spring forward (Sun 2025-03-30): 23 h', 'Europe/Berlin', '2025-03-30', 23 * HOUR],
    ['Berlin fall back (Sun 2025-10-26): 25 h', 'Europe/Berlin', '2025-10-26', 25 * HOUR],
    ['an ordinary Sunday: 24 h', 'Europe/Berlin', '2025-03-23', 24 * HOUR],
  ])('a 00:00–24:00 day on %s', (_name, tz, date, ms) => {
    const cal = allDay(tz, [['00:00', '24:00']]);
    const next = new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(businessTimeBetween(cal, `${date}T00:00`, `${next}T00:00`)).toBe(ms);
  });

  it('01:00–05:00 lasts 3 h on spring-forward day and 5 h on fall-back day (New York)', () => {
    const cal = allDay('America/New_York', [['01:00', '05:00']]);
    expect(businessTimeBetween(cal, '2025-03-09T00:00', '2025-03-09T12:00')).toBe(3 * HOUR);
    expect(businessTimeBetween(cal, '2025-11-02T00:00', '2025-11-02T12:00')).toBe(5 * HOUR);
  });

  it('starts a 02:30 interval at 03:30 EDT when 02:30 does not exist', () => {
    const cal = allDay('America/New_York', [['02:30', '05:00']]);
    expect(fmt(nextOpening(cal, '2025-03-09T00:00'), cal.timezone)).toBe('2025-03-09T03:30:00-04:00');
    expect(businessTimeBetween(cal, '2025-03-09T00:00', '2025-03-09T12:00')).toBe(90 * MIN);
  });

  it('starts a 01:30 interval at the first 01:30 (EDT) when it happens twice', () => {
    const cal = allDay('America/New_York', [['01:30', '03:00']]);
    expect(fmt(nextOpening(cal, '2025-11-02T00:00'), cal.timezone)).toBe('2025-11-02T01:30:00-04:00');
    expect(businessTimeBetween(cal, '2025-11-02T00:00', '2025-11-02T12:00')).toBe(150 * MIN);
  });

  it('Berlin 01:00–04:00 on spring-forward day: 2 h; 01:00 + 90 min → 03:30 CEST', () => {
    const cal = allDay('Europe/Berlin', [['01:00', '04:00']]);
    expect(businessTimeBetween(cal, '2025-03-30T00:00', '2025-03-30T12:00')).toBe(2 * HOUR);
    expect(fmt(addBusinessTime(cal, '2025-03-30T01:00', 90 * MIN), cal.timezone)).toBe('2025-03-30T03:30:00+02:00');
  });

  it('New York office hours across the DST weekend: Fri 16:00 EST + 120 min → Mon 10:00 EDT', () => {
    expect(fmt(addBusinessTime(newYork, '2025-03-07T16:00', 120 * MIN), newYork.timezone)).toBe(
      '2025-03-10T10:00:00-04:00',
    );
  });

  it('calendar time counts real elapsed time across the change: Sat 12:00 EST + 24 h → Sun 13:00 EDT', () => {
    expect(
      fmt(addBusinessTime(newYork, '2025-03-08T12:00', 24 * HOUR, { businessHours: false }), newYork.timezone),
    ).toBe('2025-03-09T13:00:00-04:00');
  });
});
