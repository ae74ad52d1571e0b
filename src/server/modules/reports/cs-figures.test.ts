/**
 * The customer-service definitions (docs/REPORTS.md) on hand-built data. Every expected value is
 * computed by hand in the comments; the file format is the audit CLI's, parsed by parseCsInput.
 */
import { describe, expect, it } from 'vitest';
import { type Calendar } from '../../lib/time/index.ts';
import {
  businessHoursTimes,
  computeCsBreakdown,
  computeCsFigures,
  firstResponse,
  nearestRank,
  percent,
  type CsMessage,
} from './cs-figures.ts';
import { parseCsInput } from './cs-input.ts';

function input(raw: unknown) {
  const r = parseCsInput(raw);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.value;
}

const october = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const c = (
  id: string,
  createdAt: string,
  messages: [string, string, string?][],
  resolvedAt: string[] = [],
  reopenedAt: string[] = [],
) => ({
  id,
  createdAt,
  messages: messages.map(([at, from, agentId]) => ({ at, from, ...(agentId ? { agentId } : {}) })),
  resolvedAt,
  reopenedAt,
});

/** A month of seven conversations that exercise every rule (see each line). */
const month = {
  period: october,
  conversations: [
    // FRT 60 (the bot's 10:00:05 does not count); resolution 1800; one agent, never reopened → FCR.
    c(
      'c1',
      '2026-10-01T10:00:00Z',
      [
        ['2026-10-01T10:00:00Z', 'customer'],
        ['2026-10-01T10:00:05Z', 'bot'],
        ['2026-10-01T10:01:00Z', 'agent', 'a1'],
      ],
      ['2026-10-01T10:30:00Z'],
    ),
    // FRT 300; resolution 7200; two agents → not FCR.
    c(
      'c2',
      '2026-10-02T09:00:00Z',
      [
        ['2026-10-02T09:00:00Z', 'customer'],
        ['2026-10-02T09:05:00Z', 'agent', 'a1'],
        ['2026-10-02T09:10:00Z', 'agent', 'a2'],
      ],
      ['2026-10-02T11:00:00Z'],
    ),
    // FRT 30; first resolution 3600; reopened then resolved again → resolved at the end, not FCR.
    c(
      'c3',
      '2026-10-03T08:00:00Z',
      [
        ['2026-10-03T08:00:00Z', 'customer'],
        ['2026-10-03T08:00:30Z', 'agent', 'a2'],
      ],
      ['2026-10-03T09:00:00Z', '2026-10-05T10:00:00Z'],
      ['2026-10-04T10:00:00Z'],
    ),
    // Bot only: no FRT; resolution 600; no agent → not FCR.
    c(
      'c4',
      '2026-10-04T12:00:00Z',
      [
        ['2026-10-04T12:00:00Z', 'customer'],
        ['2026-10-04T12:00:02Z', 'bot'],
      ],
      ['2026-10-04T12:10:00Z'],
    ),
    // Created on the last evening, answered after the month: created, unresolved, no FRT in October.
    c('c5', '2026-10-31T23:00:00Z', [
      ['2026-10-31T23:00:00Z', 'customer'],
      ['2026-11-01T00:10:00Z', 'agent', 'a1'],
    ]),
    // Created in September, answered in October: FRT 900 counts; resolution 4200 counts; FCR; not "created".
    c(
      'c6',
      '2026-09-30T23:50:00Z',
      [
        ['2026-09-30T23:50:00Z', 'customer'],
        ['2026-10-01T00:05:00Z', 'agent', 'a3'],
      ],
      ['2026-10-01T01:00:00Z'],
    ),
    // FRT 120; resolution 3600; reopened and still open at the end → not resolved, not FCR.
    c(
      'c7',
      '2026-10-10T10:00:00Z',
      [
        ['2026-10-10T10:00:00Z', 'customer'],
        ['2026-10-10T10:02:00Z', 'agent', 'a1'],
      ],
      ['2026-10-10T11:00:00Z'],
      ['2026-10-20T10:00:00Z'],
    ),
  ],
  ratings: [
    { conversationId: 'c1', score: 5, at: '2026-10-01T11:00:00Z' },
    { conversationId: 'c2', score: 3, at: '2026-10-02T12:00:00Z' },
    { conversationId: 'c3', score: 4, at: '2026-10-05T11:00:00Z' },
    { conversationId: 'gone', score: 5, at: '2026-10-06T00:00:00Z' }, // a rating without its conversation counts
    { conversationId: 'c4', score: 1, at: '2026-11-01T00:00:00Z' }, // the period's end is outside
    { conversationId: 'c6', score: 2, at: '2026-09-30T23:59:59Z' }, // before the period
  ],
};

describe('customer-service figures', () => {
  it('a month with reopened, bot-only, straddling conversations and an orphan rating', () => {
    expect(computeCsFigures(input(month))).toEqual({
      // [30, 60, 120, 300, 900]: p50 rank ⌈2.5⌉ = 3 → 120; p90 rank ⌈4.5⌉ = 5 → 900
      frt: { count: 5, p50: 120, p90: 900 },
      // [600, 1800, 3600, 3600, 4200, 7200]: p50 rank 3 → 3600; p90 rank ⌈5.4⌉ = 6 → 7200
      resolution: { count: 6, p50: 3600, p90: 7200 },
      // created c1 c2 c3 c4 c5 c7; resolved at the end c1 c2 c3 c4 → 4/6
      resolutionRate: 66.67,
      // first resolved c1 c2 c3 c4 c6 c7; FCR c1 c6 → 2/6
      fcr: 33.33,
      // 5, 3, 4, 5 → 3/4
      csat: { count: 4, percent: 75 },
    });
  });

  it('an empty period has counts of zero and no rates (no division by zero)', () => {
    expect(computeCsFigures(input({ period: october, conversations: [], ratings: [] }))).toEqual({
      frt: { count: 0, p50: null, p90: null },
      resolution: { count: 0, p50: null, p90: null },
      resolutionRate: null,
      fcr: null,
      csat: { count: 0, percent: null },
    });
    // Data outside the period only: still empty.
    const outside = { ...month, period: { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' } };
    expect(computeCsFigures(input(outside)).frt.count).toBe(0);
  });

  it('a day crossing the end of daylight saving time in New York is 25 hours of real time', () => {
    // 2026-11-01: 02:00 EDT → 01:00 EST. Asked at the first 01:30 (EDT, 05:30Z), answered at the
    // second 01:10 (EST, 06:10Z): 40 minutes although the wall clock went back 20.
    const day = { start: '2026-11-01T00:00:00-04:00', end: '2026-11-02T00:00:00-05:00' };
    const f = computeCsFigures(
      input({
        period: day,
        conversations: [
          c(
            'd1',
            '2026-11-01T01:30:00-04:00',
            [
              ['2026-11-01T01:30:00-04:00', 'customer'],
              ['2026-11-01T01:10:00-05:00', 'agent', 'a1'],
            ],
            ['2026-11-01T01:20:00-05:00'],
          ),
          // 23:30 EST is 04:30Z on the 2nd: inside the 25-hour day.
          c('d2', '2026-11-01T23:30:00-05:00', [
            ['2026-11-01T23:30:00-05:00', 'customer'],
            ['2026-11-01T23:31:00-05:00', 'agent', 'a1'],
          ]),
        ],
        ratings: [],
      }),
    );
    expect(f.frt).toEqual({ count: 2, p50: 60, p90: 2400 });
    expect(f.resolution).toEqual({ count: 1, p50: 3000, p90: 3000 }); // 05:30Z → 06:20Z
    expect(f.resolutionRate).toBe(50);
  });

  it('a month end: the last second of February is in, midnight of March 1st is out', () => {
    const feb = { start: '2026-02-01T00:00:00+08:00', end: '2026-03-01T00:00:00+08:00' };
    const f = computeCsFigures(
      input({
        period: feb,
        conversations: [
          c('m1', '2026-02-28T23:59:59+08:00', [['2026-02-28T23:59:59+08:00', 'customer']]),
          c('m2', '2026-03-01T00:00:00+08:00', [['2026-03-01T00:00:00+08:00', 'customer']]),
          // Resolved exactly at the end: first resolution is in March, and it is not resolved by February's end.
          c('m3', '2026-02-10T10:00:00+08:00', [], ['2026-03-01T00:00:00+08:00']),
        ],
        ratings: [{ conversationId: 'm1', score: 4, at: '2026-02-28T23:59:59.999+08:00' }],
      }),
    );
    expect(f.resolutionRate).toBe(0); // created m1, m3; neither resolved before the end
    expect(f.resolution.count).toBe(0);
    expect(f.csat).toEqual({ count: 1, percent: 100 });
  });

  it('an agent message before the shopper wrote is not a reply; the reply after it is', () => {
    const f = computeCsFigures(
      input({
        period: october,
        conversations: [
          c('o1', '2026-10-05T10:00:00Z', [
            ['2026-10-05T10:00:00Z', 'agent', 'a1'],
            ['2026-10-05T10:20:00Z', 'customer'],
            ['2026-10-05T10:21:30Z', 'agent', 'a1'],
          ]),
          c('o2', '2026-10-05T10:00:00Z', [['2026-10-05T10:00:00Z', 'agent', 'a1']]), // outbound, never answered
        ],
        ratings: [],
      }),
    );
    expect(f.frt).toEqual({ count: 1, p50: 90, p90: 90 });
  });

  it('FCR: agent messages without agentId are one unknown agent, distinct from every named one', () => {
    // The CLI's file and the server's stored messages (an agent message whose sender_id is null,
    // inputs.ts) both reach agentsOf with agentId null. u: only unnamed → one agent, never reopened
    // → FCR; m: unnamed + u1 → two agents → not FCR; n: two unnamed messages → still one agent → FCR.
    // 2 of 3 first resolved in the period → 66.67 %.
    const f = computeCsFigures(
      input({
        period: october,
        conversations: [
          c(
            'u',
            '2026-10-02T10:00:00Z',
            [
              ['2026-10-02T10:00:00Z', 'customer'],
              ['2026-10-02T10:01:00Z', 'agent'],
            ],
            ['2026-10-02T10:10:00Z'],
          ),
          c(
            'm',
            '2026-10-03T10:00:00Z',
            [
              ['2026-10-03T10:00:00Z', 'customer'],
              ['2026-10-03T10:01:00Z', 'agent'],
              ['2026-10-03T10:02:00Z', 'agent', 'u1'],
            ],
            ['2026-10-03T10:10:00Z'],
          ),
          c(
            'n',
            '2026-10-04T10:00:00Z',
            [
              ['2026-10-04T10:00:00Z', 'customer'],
              ['2026-10-04T10:01:00Z', 'agent'],
              ['2026-10-04T10:02:00Z', 'agent'],
            ],
            ['2026-10-04T10:10:00Z'],
          ),
        ],
        ratings: [],
      }),
    );
    expect(f.fcr).toBe(66.67);
  });

  it('messages in any order give the same figures', () => {
    const shuffled = {
      ...month,
      conversations: month.conversations.map((x) => ({ ...x, messages: [...x.messages].reverse() })).reverse(),
    };
    expect(computeCsFigures(input(shuffled))).toEqual(computeCsFigures(input(month)));
  });

  it('breaks the figures down by group, ratings following their conversation', () => {
    const parsed = input(month);
    const byHalf = computeCsBreakdown(parsed, (x) => (['c1', 'c2', 'c3'].includes(x.id) ? 'A' : 'B'));
    expect(byHalf.map((g) => g.key)).toEqual(['A', 'B']);
    expect(byHalf[0]!.figures.frt).toEqual({ count: 3, p50: 60, p90: 300 });
    expect(byHalf[0]!.figures.csat).toEqual({ count: 3, percent: 66.67 });
    expect(byHalf[1]!.figures.csat).toEqual({ count: 0, percent: null }); // c4's rating is outside, 'gone' has no group
  });

  it('business-hours variants count working time only', () => {
    const day: [string, string][] = [['09:00', '18:00']];
    const office: Calendar = {
      timezone: 'UTC',
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day },
      holidays: [],
      overrides: [],
    };
    // Fri 2026-10-02 17:50 asked, Mon 10-05 09:05 answered: 10 + 5 minutes of office time.
    const data = input({
      period: october,
      conversations: [
        c(
          'b1',
          '2026-10-02T17:50:00Z',
          [
            ['2026-10-02T17:50:00Z', 'customer'],
            ['2026-10-05T09:05:00Z', 'agent', 'a1'],
          ],
          ['2026-10-05T10:00:00Z'],
        ),
      ],
      ratings: [],
    });
    const b = businessHoursTimes(data, () => office);
    expect(b.frt).toEqual({ count: 1, p50: 900, p90: 900 });
    expect(b.resolution.p50).toBe(600 + 3600); // 10 min Friday + 60 min Monday
  });
});

describe('nearest rank and percentages', () => {
  it('takes the value at rank ⌈p/100 · n⌉', () => {
    expect(nearestRank([15, 20, 35, 40, 50], 30)).toBe(20); // ⌈1.5⌉ = 2
    expect(nearestRank([15, 20, 35, 40, 50], 40)).toBe(20); // ⌈2⌉ = 2, exactly
    expect(nearestRank([15, 20, 35, 40, 50], 50)).toBe(35);
    expect(nearestRank([15, 20, 35, 40, 50], 100)).toBe(50);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9); // ⌈9⌉ = 9, not 10
    expect(nearestRank([], 50)).toBeNull();
  });

  it('rounds percentages half up to two decimals', () => {
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(1, 800)).toBe(0.13); // 0.125 → 0.13
    expect(percent(1, 1600)).toBe(0.06); // 0.0625 → 0.06
    expect(percent(0, 5)).toBe(0);
    expect(percent(5, 5)).toBe(100);
    expect(percent(0, 0)).toBeNull();
  });
});

describe('the audit file', () => {
  it('names every problem with its path', () => {
    const r = parseCsInput({
      period: { start: '2026-10-02T00:00:00Z', end: '2026-10-01T00:00:00Z' },
      conversations: [{ id: 'x', createdAt: 'yesterday', messages: [{ at: '2026-10-01T00:00:00Z', from: 'robot' }] }],
      ratings: [{ conversationId: 'x', score: 6, at: '2026-10-01T00:00:00Z' }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.join('\n')).toMatch(/conversations\[0\]\.messages\[0\]\.from/);
    expect(r.problems.join('\n')).toMatch(/ratings\[0\]\.score/);
  });
});

describe('first response, asked again', () => {
  it('is answered once per messages list, and read again when the list grew or was replaced', () => {
    const messages: CsMessage[] = [{ at: 1_000, from: 'customer' }];
    const c = { id: 'c', createdAt: 0, messages, resolvedAt: [], reopenedAt: [] };
    expect(firstResponse(c)).toBeNull();
    messages.push({ at: 4_000, from: 'agent', agentId: 'a1' });
    expect(firstResponse(c)).toEqual({ askedAt: 1_000, repliedAt: 4_000, agentId: 'a1' });
    c.messages = [
      { at: 1_000, from: 'customer' },
      { at: 2_000, from: 'agent', agentId: 'a2' },
    ];
    expect(firstResponse(c)).toEqual({ askedAt: 1_000, repliedAt: 2_000, agentId: 'a2' });
  });
});
