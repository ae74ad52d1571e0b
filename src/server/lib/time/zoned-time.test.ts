import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dayNumber,
  formatInZone,
  isValidTimeZone,
  localToInstant,
  parseInstant,
  toLocal,
  toLocalByIntl,
} from './zoned-time.ts';

const utc = (s: string) => Date.parse(s);
const ny = 'America/New_York';
const berlin = 'Europe/Berlin';

describe('localToInstant', () => {
  it('converts ordinary wall-clock times with the zone offset', () => {
    expect(localToInstant('Asia/Shanghai', dayNumber(2025, 10, 9), 9 * 60 + 20)).toBe(utc('2025-10-09T01:20:00Z'));
    expect(localToInstant(ny, dayNumber(2025, 1, 15), 9 * 60)).toBe(utc('2025-01-15T14:00:00Z'));
    expect(localToInstant(ny, dayNumber(2025, 7, 15), 9 * 60)).toBe(utc('2025-07-15T13:00:00Z'));
  });

  it('maps a nonexistent spring-forward time forward by the gap (02:30 → 03:30 EDT)', () => {
    expect(localToInstant(ny, dayNumber(2025, 3, 9), 2 * 60 + 30)).toBe(utc('2025-03-09T07:30:00Z'));
    expect(localToInstant(ny, dayNumber(2025, 3, 9), 2 * 60)).toBe(utc('2025-03-09T07:00:00Z')); // = 03:00 EDT
    expect(localToInstant(berlin, dayNumber(2025, 3, 30), 2 * 60 + 15)).toBe(utc('2025-03-30T01:15:00Z')); // = 03:15 CEST
  });

  it('takes the first occurrence of an ambiguous fall-back time', () => {
    expect(localToInstant(ny, dayNumber(2025, 11, 2), 60 + 30)).toBe(utc('2025-11-02T05:30:00Z')); // 01:30 EDT, not EST
    expect(localToInstant(berlin, dayNumber(2025, 10, 26), 2 * 60 + 30)).toBe(utc('2025-10-26T00:30:00Z')); // 02:30 CEST
  });

  it('reads 24:00 as the next midnight, whatever the day length', () => {
    expect(localToInstant(ny, dayNumber(2025, 3, 9), 1440) - localToInstant(ny, dayNumber(2025, 3, 9), 0)).toBe(
      23 * 3_600_000,
    );
    expect(localToInstant(ny, dayNumber(2025, 11, 2), 1440) - localToInstant(ny, dayNumber(2025, 11, 2), 0)).toBe(
      25 * 3_600_000,
    );
  });
});

describe('formatInZone', () => {
  it('writes ISO-8601 with the zone offset', () => {
    expect(formatInZone('Asia/Shanghai', utc('2025-10-09T01:20:00Z'))).toBe('2025-10-09T09:20:00+08:00');
    expect(formatInZone(ny, utc('2025-03-10T14:00:00Z'))).toBe('2025-03-10T10:00:00-04:00');
    expect(formatInZone(ny, utc('2025-03-07T21:00:00Z'))).toBe('2025-03-07T16:00:00-05:00');
    expect(formatInZone('Asia/Kolkata', utc('2025-01-01T00:00:00.250Z'))).toBe('2025-01-01T05:30:00.250+05:30');
  });
});

describe('parseInstant', () => {
  it('honours Z and offsets, and reads offset-less text in the given zone', () => {
    expect(parseInstant('2025-10-09T09:20:00+08:00', 'UTC')).toBe(utc('2025-10-09T01:20:00Z'));
    expect(parseInstant('2025-10-09T01:20:00Z', 'Asia/Shanghai')).toBe(utc('2025-10-09T01:20:00Z'));
    expect(parseInstant('2025-10-09T09:20', 'Asia/Shanghai')).toBe(utc('2025-10-09T01:20:00Z'));
    expect(parseInstant('2025-10-09 09:20:30.5', 'Asia/Shanghai')).toBe(utc('2025-10-09T01:20:30.500Z'));
    expect(parseInstant('2025-10-09T09:20:00-0400', 'UTC')).toBe(utc('2025-10-09T13:20:00Z'));
  });

  it('refuses dates only, impossible dates and junk', () => {
    for (const bad of [
      '2025-10-09',
      '2025-02-30T10:00:00Z',
      '2025-10-09T24:00:00Z',
      '2025-13-01T00:00Z',
      'yesterday',
      '1696000000',
      '',
    ]) {
      expect(parseInstant(bad, 'UTC'), bad).toBeNull();
    }
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA names and refuses unknown ones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Asia/Shangai')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('toLocal (an offset per hour) reads exactly what Intl reads', () => {
  const odd = [
    'Asia/Shanghai',
    'America/New_York',
    'Europe/Berlin',
    'Australia/Lord_Howe', // 30-minute DST
    'Asia/Kathmandu', // +05:45
    'America/St_Johns', // -03:30 with DST
    'Pacific/Chatham', // +12:45 with DST
    'Africa/Casablanca', // DST suspended for Ramadan
    'Pacific/Apia', // skipped 2011-12-30
    'America/Sao_Paulo',
  ];
  it('at random instants 1850–2100 in zones with odd offsets and transitions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...odd),
        fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, t) => {
          expect(toLocal(zone, t)).toEqual(toLocalByIntl(zone, t));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('at every minute (and the milliseconds around it) of the hours around transitions', () => {
    const around = [
      ['America/New_York', '2025-03-09T07:00:00Z'],
      ['America/New_York', '2025-11-02T06:00:00Z'],
      ['Europe/Berlin', '2025-03-30T01:00:00Z'],
      ['Australia/Lord_Howe', '2025-04-05T15:00:00Z'],
      // Transitions in the middle of a UTC hour: the hour is read through Intl minute by minute.
      ['Australia/Lord_Howe', '2025-10-04T15:30:00Z'],
      ['America/St_Johns', '2025-03-09T05:30:00Z'],
      ['Pacific/Apia', '2011-12-30T10:00:00Z'],
    ] as const;
    for (const [zone, at] of around) {
      const t0 = Date.parse(at) - 3 * 3_600_000;
      for (let t = t0; t < t0 + 6 * 3_600_000; t += 60_000)
        for (const d of [-1, 0, 1])
          expect(toLocal(zone, t + d), `${zone} ${t + d}`).toEqual(toLocalByIntl(zone, t + d));
    }
  });
});
