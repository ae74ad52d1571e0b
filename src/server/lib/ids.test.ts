import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

const crockford = /^[0-9A-HJKMNP-TV-Z]+$/;
const timeOf = (id: string) => id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
const strictlyIncreasing = (ids: string[]) => ids.every((id, i) => i === 0 || ids[i - 1] < id);

describe('newId', () => {
  it('is the prefix, an underscore, 10 time characters and 16 random ones in Crockford base32', () => {
    for (const prefix of ['usr', 'ws', 'job']) {
      const id = newId(prefix);
      expect(id).toMatch(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`));
      expect(id.slice(prefix.length + 1)).toMatch(crockford);
    }
  });

  it('encodes the millisecond time in the first 10 characters', () => {
    expect(timeOf(newId('x', 0))).toBe('0000000000');
    expect(timeOf(newId('x', 31))).toBe('000000000Z');
    expect(timeOf(newId('x', 32))).toBe('0000000010');
    // 2026-03-01T00:00:00.000Z, encoded by hand: 1772323200000 in base 32
    const ms = Date.parse('2026-03-01T00:00:00.000Z');
    let expected = '';
    for (let n = ms, i = 0; i < 10; i++, n = Math.floor(n / 32))
      expected = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[n % 32] + expected;
    expect(timeOf(newId('x', ms))).toBe(expected);
  });

  it('is strictly increasing over many ids made in the same millisecond', () => {
    const ms = Date.parse('2026-03-01T08:00:00.000Z');
    const ids = Array.from({ length: 20_000 }, () => newId('msg', ms));
    expect(new Set(ids).size).toBe(ids.length);
    expect(strictlyIncreasing(ids)).toBe(true);
    expect(new Set(ids.map(timeOf)).size).toBe(1);
  });

  it('is strictly increasing across milliseconds, even when one millisecond had many ids', () => {
    const start = Date.parse('2026-03-01T08:00:00.000Z');
    const ids: string[] = [];
    for (let ms = start; ms < start + 50; ms++) for (let i = 0; i < 200; i++) ids.push(newId('msg', ms));
    expect(strictlyIncreasing(ids)).toBe(true);
  });

  it('stays strictly increasing per millisecond when callers with a time of their own interleave with the real clock', () => {
    // An event's time (or a fake clock) and the real clock, alternating: each stream keeps its order.
    const fixed = Date.parse('2026-03-02T09:55:00.000Z');
    const real: string[] = [];
    const given: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      real.push(newId('itl'));
      given.push(newId('aud', fixed));
    }
    expect(strictlyIncreasing(real)).toBe(true);
    expect(strictlyIncreasing(given)).toBe(true);
  });

  it('is strictly increasing with the real clock', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('evt'));
    expect(strictlyIncreasing(ids)).toBe(true);
  });

  it('sorts lexicographically in time order whatever order the ids were made in', () => {
    const base = Date.parse('2020-01-01T00:00:00.000Z');
    // Times spread over decades, including ones whose encodings differ only in the high digits.
    const times = Array.from({ length: 500 }, (_, i) => base + ((i * 7_919_331_577) % 2_000_000_000_000) + (i % 3));
    const made = times.map((t) => ({ t, id: newId('t', t) }));
    const byString = [...made].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((x) => x.t);
    const byTime = [...made].sort((a, b) => a.t - b.t).map((x) => x.t);
    expect(byString).toEqual(byTime);
  });

  it('uses fresh randomness in each new millisecond (ids are not guessable from the previous one)', () => {
    const a = newId('s', 1_000_000);
    const b = newId('s', 1_000_001);
    const c = newId('s', 1_000_000 + 2);
    const rnd = (id: string) => id.slice(-16);
    expect(new Set([rnd(a), rnd(b), rnd(c)]).size).toBe(3);
  });

  it('draws fresh random characters for every millisecond across refills of its byte pool', () => {
    // 2,000 milliseconds × 16 bytes = several 4 KiB pools: no two random parts alike, and every character used.
    const rnd = Array.from({ length: 2000 }, (_, i) => newId('p', 5_000_000 + i).slice(-16));
    expect(new Set(rnd).size).toBe(rnd.length);
    expect(new Set(rnd.join('')).size).toBe(32);
  });
});
