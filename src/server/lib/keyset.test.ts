import { describe, expect, it } from 'vitest';
import { byKeys, collectHits, decodeCursor, encodeCursor, mergeSorted } from './keyset.ts';

describe('keyset pagination', () => {
  it('round-trips cursors and refuses foreign ones with 400', () => {
    expect(decodeCursor(encodeCursor(['2026-03-01T00:00:00.000Z', 'cnv_1']), 2)).toEqual([
      '2026-03-01T00:00:00.000Z',
      'cnv_1',
    ]);
    expect(decodeCursor(undefined, 2)).toBeNull();
    for (const bad of ['x', encodeCursor(['a']), Buffer.from('{"a":1}').toString('base64url')])
      expect(() => decodeCursor(bad, 2)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_cursor' }));
  });

  it('merges lists sorted by several keys in either direction', () => {
    const order = byKeys<[number, string]>([
      { get: (r) => r[0], desc: false },
      { get: (r) => r[1], desc: true },
    ]);
    expect(
      mergeSorted(
        [
          [
            [1, 'b'],
            [3, 'a'],
          ],
          [
            [1, 'c'],
            [2, 'z'],
          ],
        ],
        order,
        3,
      ),
    ).toEqual([
      [1, 'c'],
      [1, 'b'],
      [2, 'z'],
    ]);
  });

  it('collects accepted hits page by page, examining at most the budget per request', async () => {
    const hits = Array.from({ length: 100 }, (_, i) => 100 - i); // positions, newest first
    const fetch = async (before: number | string | null, n: number) =>
      hits.filter((h) => before === null || h < Number(before)).slice(0, n);
    const accept = async (list: number[]) => list.filter((h) => h % 10 === 0).map((h) => ({ row: h, pos: h }));
    const first = await collectHits({ start: null, fetch, posOf: (h) => h, accept, limit: 3, chunk: 7 });
    expect(first).toEqual({ items: [100, 90, 80], next: 80 });
    const second = await collectHits({ start: 80, fetch, posOf: (h) => h, accept, limit: 3, chunk: 7, budget: 14 });
    // Two chunks of 7 (79…66) hold one accepted hit: a short page and a cursor to go on from.
    expect(second).toEqual({ items: [70], next: 66 });
    const last = await collectHits({ start: 25, fetch, posOf: (h) => h, accept, limit: 3, chunk: 7 });
    expect(last).toEqual({ items: [20, 10], next: null });
  });
});
