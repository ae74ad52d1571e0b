/** Which knowledge entries may answer: enabled, on the channel, inside their validity window in the shop's own days. */
import { describe, expect, it } from 'vitest';
import { EntryBody, type Entry } from '../../../shared/knowledge-api.ts';
import { entryFilter } from './knowledge-index.ts';

const entry = (over: object = {}): Entry => ({
  ...EntryBody.parse({ question: '满减活动怎么参加？', answer: '满 300 减 50', ...over }),
  id: 'kb_1',
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
});

describe('entryFilter', () => {
  const promo = entry({ validFrom: '2026-12-01', validTo: '2026-12-14' });

  it("opens and closes a validity window at midnight in the workspace's zone, not in UTC", () => {
    // 2026-12-01 00:30 in Shanghai is still 11-30 in UTC.
    const firstMinutes = new Date('2026-11-30T16:30:00Z');
    expect(entryFilter(firstMinutes, 'web', 'Asia/Shanghai')(promo)).toBe(true);
    expect(entryFilter(firstMinutes, 'web', 'UTC')(promo)).toBe(false);
    // 2026-12-15 00:30 in Shanghai: over there, while UTC is still on the 14th.
    const dayAfter = new Date('2026-12-14T16:30:00Z');
    expect(entryFilter(dayAfter, 'web', 'Asia/Shanghai')(promo)).toBe(false);
    expect(entryFilter(dayAfter, 'web', 'UTC')(promo)).toBe(true);
    // The last evening in Shanghai still counts.
    expect(entryFilter(new Date('2026-12-14T15:59:00Z'), 'web', 'Asia/Shanghai')(promo)).toBe(true);
  });

  it('reads UTC days in a zone Intl does not know, and checks enabled and the channel', () => {
    expect(entryFilter(new Date('2026-11-30T16:30:00Z'), 'web', 'Mars/Olympus')(promo)).toBe(false);
    const now = new Date('2026-12-05T04:00:00Z');
    expect(entryFilter(now, 'web', 'Asia/Shanghai')(entry({ enabled: false }))).toBe(false);
    expect(entryFilter(now, 'web', 'Asia/Shanghai')(entry({ channels: ['wechat'] }))).toBe(false);
    expect(entryFilter(now, 'wechat', 'Asia/Shanghai')(entry({ channels: ['wechat'] }))).toBe(true);
    expect(entryFilter(now, 'web', 'Asia/Shanghai')(undefined)).toBe(false);
  });
});
