import { describe, expect, it } from 'vitest';
import {
  endSlots,
  newCalendarValues,
  parseProblem,
  presets,
  startSlots,
  toDefinition,
  toFormValues,
  weeklyMinutes,
} from './calendar-form.ts';

describe('calendar form', () => {
  it('offers quarter hours, with 24:00 as the last end', () => {
    expect(startSlots[0]).toBe('00:00');
    expect(startSlots.at(-1)).toBe('23:45');
    expect(endSlots[0]).toBe('00:15');
    expect(endSlots.at(-1)).toBe('24:00');
    expect(startSlots).toContain('13:30');
  });

  it('round-trips a definition, CN holidays or the merchant’s own days', () => {
    const values = { ...newCalendarValues('Asia/Shanghai'), name: '客服排班' };
    const cn = toDefinition(values);
    expect(cn).toMatchObject({ timezone: 'Asia/Shanghai', holidays: 'CN', overrides: [] });
    expect(cn.hours.mon).toEqual([
      ['09:00', '12:00'],
      ['13:30', '18:00'],
    ]);
    expect(cn.hours.sun).toEqual([]);
    const own = toDefinition({
      ...values,
      cnHolidays: false,
      holidays: ['2025-10-02', '2025-10-01', '2025-10-01'],
      overrides: [
        { date: '2025-10-11', hours: [] },
        { date: '', hours: [] },
      ],
    });
    expect(own.holidays).toEqual(['2025-10-01', '2025-10-02']);
    expect(own.overrides).toEqual([{ date: '2025-10-11', hours: [] }]);
    const back = toFormValues({
      id: 'cal_1',
      name: '客服排班',
      createdAt: '',
      definition: { ...own, holidays: own.holidays ?? [], overrides: own.overrides ?? [] },
    });
    expect(back).toMatchObject({ name: '客服排班', cnHolidays: false, holidays: ['2025-10-01', '2025-10-02'] });
    expect(toDefinition(back)).toEqual(own);
  });

  it('counts weekly hours', () => {
    expect(weeklyMinutes(presets.office())).toBe(5 * 450);
    expect(weeklyMinutes(presets.always())).toBe(7 * 1440);
  });
});

describe('server problems', () => {
  it('says where each problem is', () => {
    expect(parseProblem('hours.mon: 09:00–12:00 overlaps 11:00–13:00')).toEqual({
      where: { part: 'weekday', day: 'mon' },
      what: '09:00–12:00 overlaps 11:00–13:00',
    });
    expect(parseProblem('hours.tue[0]: 18:00–09:00 must start before it ends')).toMatchObject({
      where: { part: 'weekday', day: 'tue' },
    });
    expect(parseProblem('overrides[2].date: must be a real date written YYYY-MM-DD')).toMatchObject({
      where: { part: 'override', index: 2 },
    });
    expect(parseProblem('timezone: unknown time zone "Mars/Base"')).toMatchObject({ where: { part: 'timezone' } });
    expect(parseProblem('hours: no working hours on any day of the week')).toMatchObject({ where: { part: 'hours' } });
    expect(parseProblem('no working hours on any day of the week')).toEqual({
      where: null,
      what: 'no working hours on any day of the week',
    });
  });
});
