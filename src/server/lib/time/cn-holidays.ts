/**
 * Mainland China's public holidays and make-up working days (调休), from `chinese-days`.
 *
 * We read the package's published data file instead of calling `isWorkday()`/`getDayDetail()`:
 * those parse "YYYY-MM-DD" as UTC midnight and then format it with the *process's* local zone,
 * so on a server running in a zone west of UTC they answer for the previous day (checked with
 * TZ=America/New_York: `getDayDetail('2025-10-01').date` is '2025-09-30'). The data file is keyed
 * by plain date strings and has no such trap.
 */
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

type DayTable = Record<string, string>;
const holidays = data.holidays as DayTable;
const workdays = data.workdays as DayTable;

const years = Object.keys(holidays).map((d) => Number(d.slice(0, 4)));

/** The years the installed data covers; other years have no holidays (plain weekly hours). */
export const cnDataYears = { first: Math.min(...years), last: Math.max(...years) };

export type CnDayKind = 'holiday' | 'makeup_workday' | 'regular';

/** What a `YYYY-MM-DD` date is in mainland China's official arrangement. */
export function cnDayKind(isoDate: string): CnDayKind {
  // A date in both tables cannot happen in the data, but a working day must win if it ever did.
  if (workdays[isoDate]) return 'makeup_workday';
  if (holidays[isoDate]) return 'holiday';
  return 'regular';
}

/** The holiday's name as the data gives it ("National Day,国庆节,3"), or null. */
export function cnDayName(isoDate: string): string | null {
  return workdays[isoDate] ?? holidays[isoDate] ?? null;
}
