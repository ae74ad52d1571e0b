import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { defaultPromotions, fromPicker, instantOf, toPicker } from './zoned.ts';

describe('wall-clock times in a zone', () => {
  it('converts both ways in Beijing (no DST) and across the DST change in New York', () => {
    expect(instantOf({ year: 2026, month: 11, day: 11, hour: 0, minute: 0 }, 'Asia/Shanghai')).toBe(
      '2026-11-10T16:00:00.000Z',
    );
    // 2026-03-08 02:30 does not exist in New York: the time just after the gap (03:30 EDT).
    expect(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(instantOf({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, 'America/New_York')).toBe(
      '2026-07-01T13:00:00.000Z',
    );
    const shown = toPicker('2026-07-01T13:00:00.000Z', 'America/New_York');
    expect(shown.format('YYYY-MM-DD HH:mm')).toBe('2026-07-01 09:00');
    expect(fromPicker(dayjs('2026-07-01T09:00:00'), 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
  });

  it("proposes the contract's default promotion windows (Beijing time) for each year of the term", () => {
    const windows = defaultPromotions('2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00');
    expect(windows.slice(0, 3)).toEqual([
      { name: '618', start: '2026-05-31T16:00:00.000Z', end: '2026-06-18T16:00:00.000Z' },
      { name: '双11', start: '2026-10-31T12:00:00.000Z', end: '2026-11-11T16:00:00.000Z' },
      { name: '双12', start: '2026-12-09T16:00:00.000Z', end: '2026-12-12T16:00:00.000Z' },
    ]);
    // The term ends on 2027-01-01 (Beijing): 2027's windows are offered too.
    expect(windows.map((w) => w.start.slice(0, 4))).toEqual(['2026', '2026', '2026', '2027', '2027', '2027']);
  });
});
