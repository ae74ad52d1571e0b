/**
 * Date-times in a chosen time zone (the contract's, a rotation's) for antd's pickers, which show
 * the browser's own clock: a picker holds the wall-clock time of the zone, and these convert it
 * to and from the instant the API stores. Without a time-zone plugin: Intl gives each zone's offset.
 */
import dayjs, { type Dayjs } from 'dayjs';

function partsIn(zone: string, ms: number) {
  const parts: Record<string, number> = {};
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetAt(zone: string, ms: number): number {
  const p = partsIn(zone, ms);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms) / 60_000);
}

/** The instant (ISO, UTC) of a wall-clock time in a zone; in a DST gap, the time just after it. */
export function instantOf(
  wall: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
) {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // The two offsets around the time; the one that reads back as the same wall clock wins (the earlier of two).
  const a = guess - offsetAt(zone, guess) * 60_000;
  const b = guess - offsetAt(zone, a) * 60_000;
  const reads = (ms: number) => offsetAt(zone, ms) * 60_000 + ms === guess;
  const fits = [a, b].filter(reads).sort((x, y) => x - y);
  // None fits inside a DST gap: the wall clock is moved on by the gap (02:30 → 03:30).
  return new Date(fits[0] ?? Math.max(a, b)).toISOString();
}

/** A picker's value → the instant it means in `zone`. */
export function fromPicker(d: Dayjs, zone: string): string {
  return instantOf({ year: d.year(), month: d.month() + 1, day: d.date(), hour: d.hour(), minute: d.minute() }, zone);
}

/** An instant → a picker's value showing its wall-clock time in `zone`. */
export function toPicker(iso: string, zone: string): Dayjs {
  const p = partsIn(zone, Date.parse(iso));
  return dayjs(new Date(p.year, p.month - 1, p.day, p.hour, p.minute));
}

/** Every time zone this browser knows (for the zone pickers), the usual ones first. */
export function timeZones(): string[] {
  const usual = [
    'Asia/Shanghai',
    'Asia/Hong_Kong',
    'Asia/Singapore',
    'Asia/Tokyo',
    'Europe/London',
    'America/Los_Angeles',
    'UTC',
  ];
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...usual, ...all.filter((z) => !usual.includes(z))];
}

/** The contract's default promotion windows of each year a term touches, in Beijing time (as the server's). */
export function defaultPromotions(termStart: string, termEnd: string): { name: string; start: string; end: string }[] {
  const year = (iso: string) => partsIn('Asia/Shanghai', Date.parse(iso)).year;
  const at = (y: number, m: number, d: number, h = 0) =>
    instantOf({ year: y, month: m, day: d, hour: h, minute: 0 }, 'Asia/Shanghai');
  const out = [];
  for (let y = year(termStart); y <= year(termEnd); y++)
    out.push(
      { name: '618', start: at(y, 6, 1), end: at(y, 6, 19) },
      { name: '双11', start: at(y, 10, 31, 20), end: at(y, 11, 12) },
      { name: '双12', start: at(y, 12, 10), end: at(y, 12, 13) },
    );
  return out;
}
