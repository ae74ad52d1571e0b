import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alwaysOpenCalendar, validateCalendar } from './calendar.ts';
import { dayPlan } from './working-days.ts';
import { addBusinessTime, businessTimeBetween } from './business-time.ts';
import { MIN, calendar, nearDstArb, shanghai } from './test-fixtures.ts';

const office: [string, string][] = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];

describe('validateCalendar', () => {
  it('accepts a valid calendar and fills in defaults', () => {
    const v = validateCalendar({ timezone: 'Asia/Shanghai', hours: { mon: office, sun: [] } });
    expect(v).toEqual({
      ok: true,
      value: { timezone: 'Asia/Shanghai', hours: { mon: office, sun: [] }, holidays: [], overrides: [] },
    });
  });

  it('allows 24:00 as an end and abutting intervals (half-open)', () => {
    expect(
      validateCalendar({
        timezone: 'Europe/Berlin',
        hours: {
          sat: [
            ['00:00', '12:00'],
            ['12:00', '24:00'],
          ],
        },
      }).ok,
    ).toBe(true);
  });

  it('lists every problem at once, each with where it is', () => {
    const v = validateCalendar({
      timezone: 'Asia/Shangai',
      hours: {
        mon: [
          ['09:00', '12:00'],
          ['11:30', '18:00'],
        ],
        tue: [['18:00', '09:00']],
        wed: [
          ['9:00', '12:00'],
          ['13:00', '24:30'],
        ],
        thu: [['24:00', '24:00']],
        fri: [['10:00', '10:00']],
        funday: [],
      },
      holidays: 'US',
      overrides: [
        { date: '2025-02-30', hours: [] },
        { date: '2025-10-11', hours: [['09:00', '18:00']] },
        { date: '2025-10-11', hours: [] },
      ],
    });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.problems).toEqual([
      'timezone: unknown time zone "Asia/Shangai" (use an IANA name such as Asia/Shanghai)',
      'hours.mon: 09:00–12:00 overlaps 11:30–18:00',
      'hours.tue[0]: 18:00–09:00 must start before it ends (an interval cannot cross midnight; split it)',
      'hours.wed[0][0]: start "9:00" is not a time HH:MM from 00:00 to 23:59',
      'hours.wed[1][1]: end "24:30" is not a time HH:MM from 00:01 to 24:00',
      'hours.thu[0][0]: start "24:00" is not a time HH:MM from 00:00 to 23:59',
      'hours.fri[0]: 10:00–10:00 must start before it ends (an interval cannot cross midnight; split it)',
      'hours: unknown key "funday"',
      'holidays: must be "CN" (mainland China) or a list of YYYY-MM-DD dates',
      'overrides[0].date: must be a real date written YYYY-MM-DD',
      'overrides[2].date: 2025-10-11 has more than one override',
    ]);
  });

  it('refuses a calendar without any weekly working hours (every deadline would be infinite)', () => {
    expect(validateCalendar({ timezone: 'UTC', hours: { mon: [] } })).toEqual({
      ok: false,
      problems: ['hours: no working hours on any day of the week'],
    });
  });

  it('refuses a missing zone or hours', () => {
    const v = validateCalendar({});
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems.map((p) => p.split(':')[0])).toEqual(['timezone', 'hours']);
  });
});

describe('dayPlan with holidays "CN"', () => {
  it('knows 2025 National Day: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 work with Monday hours', () => {
    for (const d of [
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ]) {
      expect(dayPlan(shanghai, d), d).toMatchObject({ kind: 'holiday', hours: [] });
    }
    expect(dayPlan(shanghai, '2025-09-28')).toMatchObject({ kind: 'makeup_workday', hours: office });
    expect(dayPlan(shanghai, '2025-10-11')).toMatchObject({ kind: 'makeup_workday', hours: office });
    expect(dayPlan(shanghai, '2025-10-09')).toMatchObject({ kind: 'weekday', hours: office });
    expect(dayPlan(shanghai, '2025-10-12')).toMatchObject({ kind: 'weekday', hours: [] }); // a plain Sunday
  });

  it('gives a make-up day Monday’s hours even when that weekday has others', () => {
    const cal = {
      ...shanghai,
      hours: {
        ...shanghai.hours,
        mon: [['10:00', '16:00']] as [string, string][],
        sat: [['09:00', '11:00']] as [string, string][],
      },
    };
    expect(dayPlan(cal, '2025-10-11').hours).toEqual([['10:00', '16:00']]);
  });

  it('lets overrides win over holidays and make-up days', () => {
    const cal = {
      ...shanghai,
      overrides: [
        { date: '2025-10-08', hours: [['10:00', '16:00']] as [string, string][], name: 'holiday duty' },
        { date: '2025-10-11', hours: [] },
      ],
    };
    expect(dayPlan(cal, '2025-10-08')).toEqual({
      date: '2025-10-08',
      kind: 'override',
      name: 'holiday duty',
      hours: [['10:00', '16:00']],
    });
    expect(dayPlan(cal, '2025-10-11')).toMatchObject({ kind: 'override', hours: [] });
  });

  it('decides the date of an instant in the calendar zone (Oct 1 00:30 Shanghai is Sep 30 in UTC)', () => {
    // The process zone plays no part (cli.test.ts runs the CLI under TZ=America/Los_Angeles).
    expect(addBusinessTime(shanghai, '2025-09-30T16:30:00Z', 60_000).toISOString()).toBe('2025-10-09T01:01:00.000Z');
  });
});

describe('custom holiday lists', () => {
  it('treats listed dates as days off', () => {
    const cal = calendar({ timezone: 'Asia/Shanghai', hours: { mon: office, tue: office }, holidays: ['2025-03-17'] });
    expect(dayPlan(cal, '2025-03-17')).toMatchObject({ kind: 'holiday', hours: [] });
    expect(addBusinessTime(cal, '2025-03-17T10:00:00+08:00', 30 * 60_000).toISOString()).toBe(
      '2025-03-18T01:30:00.000Z',
    );
  });
});

describe('alwaysOpenCalendar (7×24)', () => {
  it('is a valid calendar that works every day, holidays included', () => {
    const cal = alwaysOpenCalendar('Asia/Shanghai');
    expect(validateCalendar(cal)).toEqual({ ok: true, value: cal });
    expect(dayPlan(cal, '2025-10-01')).toMatchObject({ kind: 'weekday', hours: [['00:00', '24:00']] });
    expect(alwaysOpenCalendar().timezone).toBe('UTC');
  });

  it('counts elapsed time, across DST changes too (their 23 or 25 hours all count)', () => {
    fc.assert(
      fc.property(nearDstArb, fc.integer({ min: -48 * 60, max: 48 * 60 }), ({ timezone, t }, minutes) => {
        const cal = alwaysOpenCalendar(timezone);
        const other = t + minutes * MIN;
        expect(businessTimeBetween(cal, t, other)).toBe(other - t);
        if (minutes >= 0) expect(addBusinessTime(cal, t, minutes * MIN).getTime()).toBe(other);
      }),
      { numRuns: 200 },
    );
  });
});
