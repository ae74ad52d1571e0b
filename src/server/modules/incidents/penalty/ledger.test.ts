/**
 * Hand-computed ledgers. Unless stated: total 1 000 000 CNY (0.5 % = 5 000 per hour, cap 5 % =
 * 50 000), term 2026 in Asia/Shanghai, per started hour, cap over the term, Double 11 window
 * 2026-11-01 00:00 – 2026-11-12 00:00. Times are +08:00.
 */
import { describe, expect, it } from 'vitest';
import { formatInZone } from '../../../lib/time/index.ts';
import {
  computeLedger,
  parseContract,
  parseIncidentRecord,
  statementOf,
  type ContractInput,
  type IncidentRecordInput,
} from './index.ts';

const base: ContractInput = {
  total: 1_000_000,
  currency: 'CNY',
  term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
  promotions: [{ name: 'Double 11', start: '2026-11-01T00:00:00+08:00', end: '2026-11-12T00:00:00+08:00' }],
};
const contractOf = (over: Partial<ContractInput> = {}) => {
  const c = parseContract({ ...base, ...over });
  if (!c.ok) throw new Error(c.problems.join('\n'));
  return c.value;
};
const incident = (r: Partial<IncidentRecordInput> & { id: string }) => {
  const p = parseIncidentRecord({ severity: 'P2', declaredAt: '2026-03-02T10:00', ...r }, 'Asia/Shanghai');
  if (!p.ok) throw new Error(p.problems.join('\n'));
  return p.value;
};
const ledgerOf = (records: (Partial<IncidentRecordInput> & { id: string })[], over: Partial<ContractInput> = {}) =>
  computeLedger(contractOf(over), records.map(incident), Date.parse('2027-01-01T00:00:00+08:00'));
const fmt = (ms: number) => formatInZone('Asia/Shanghai', ms);
const view = (l: ReturnType<typeof ledgerOf>) =>
  l.lines.map((x) => ({ id: x.id, hoursOver: x.hoursOver, deduction: x.deductionCents / 100, cap: x.capApplied }));

describe('the penalty ledger (hand-computed)', () => {
  it('P2 resolved exactly at its deadline is on time; one millisecond later is one started hour', () => {
    // P2 resolve 240 min: 10:00 → 14:00.
    const l = ledgerOf([
      { id: 'on-time', resolvedAt: '2026-03-02T14:00' },
      { id: 'late', declaredAt: '2026-03-03T10:00', resolvedAt: '2026-03-03T14:00:00.001' },
    ]);
    expect(fmt(l.lines[0].resolveBy)).toBe('2026-03-02T14:00:00+08:00');
    expect(fmt(l.lines[0].respondBy)).toBe('2026-03-02T10:30:00+08:00');
    expect(view(l)).toEqual([
      { id: 'on-time', hoursOver: 0, deduction: 0, cap: false },
      { id: 'late', hoursOver: 1, deduction: 5000, cap: false },
    ]);
    expect(l.deductionCents).toBe(500_000);
  });

  it('rounds 2 h 10 min over to 3 started hours, 2 whole hours, or 2.1667 h pro rata', () => {
    const late = [{ id: 'x', resolvedAt: '2026-03-02T16:10' }];
    expect(ledgerOf(late).lines[0]).toMatchObject({ hoursOver: 3, deductionCents: 1_500_000 });
    expect(ledgerOf(late, { rounding: 'whole_hours' }).lines[0]).toMatchObject({
      hoursOver: 2,
      deductionCents: 1_000_000,
    });
    // 130 min / 60 × 5 000 = 10 833.333… → 10 833.33
    const pro = ledgerOf(late, { rounding: 'pro_rata' }).lines[0];
    expect(pro.hoursOver).toBeCloseTo(130 / 60, 12);
    expect(pro.deductionCents).toBe(1_083_333);
  });

  it('P1 inside Double 11 has 10 min / 1 h; declared a minute after the window it has 15 min / 2 h', () => {
    const l = ledgerOf([
      { id: 'promo', severity: 'P1', declaredAt: '2026-11-11T23:59', resolvedAt: '2026-11-12T01:30' },
      { id: 'after', severity: 'P1', declaredAt: '2026-11-12T00:00', resolvedAt: '2026-11-12T01:30' },
      { id: 'p2-promo', severity: 'P2', declaredAt: '2026-11-05T10:00', resolvedAt: '2026-11-05T13:00' },
    ]);
    const [promo, after, p2] = ['promo', 'after', 'p2-promo'].map((id) => l.lines.find((x) => x.id === id)!);
    expect([fmt(promo.respondBy), fmt(promo.resolveBy), promo.promotion]).toEqual([
      '2026-11-12T00:09:00+08:00',
      '2026-11-12T00:59:00+08:00',
      'Double 11',
    ]);
    // 00:59 → 01:30 is 31 min over: one started hour.
    expect(promo).toMatchObject({ hoursOver: 1, deductionCents: 500_000 });
    expect([fmt(after.resolveBy), after.promotion, after.hoursOver]).toEqual(['2026-11-12T02:00:00+08:00', null, 0]);
    // P2 keeps 4 h during a promotion.
    expect([fmt(p2.resolveBy), p2.promotion, p2.hoursOver]).toEqual(['2026-11-05T14:00:00+08:00', null, 0]);
  });

  it('a contract that names no promotions gets 618, Double 11 and Double 12 of every year of its term; an empty list gets none', () => {
    const records = [
      { id: 'd11-2026', severity: 'P1' as const, declaredAt: '2026-11-11T23:59', resolvedAt: '2026-11-12T01:30' },
      { id: 'd12-2027', severity: 'P1' as const, declaredAt: '2027-12-10T08:00', resolvedAt: '2027-12-10T08:30' },
      { id: 'presale', severity: 'P1' as const, declaredAt: '2026-10-31T19:59', resolvedAt: '2026-10-31T20:30' },
    ];
    const term = { start: '2026-07-01T00:00:00+08:00', end: '2028-07-01T00:00:00+08:00' };
    const at = Date.parse('2028-07-01T00:00:00+08:00');
    const defaults = computeLedger(contractOf({ term, promotions: undefined }), records.map(incident), at);
    expect(defaults.lines.map((x) => [x.id, x.promotion, fmt(x.resolveBy)])).toEqual([
      ['presale', null, '2026-10-31T21:59:00+08:00'],
      ['d11-2026', '双11', '2026-11-12T00:59:00+08:00'],
      ['d12-2027', '双12', '2027-12-10T09:00:00+08:00'],
    ]);
    const none = computeLedger(contractOf({ term, promotions: [] }), records.map(incident), at);
    expect(none.lines.map((x) => x.promotion)).toEqual([null, null, null]);
  });

  it('caps the term at 5 %: the incident that crosses it is cut, later ones deduct nothing', () => {
    // 6 h, 3 h, 4 h over: 30 000 + 15 000 = 45 000; the third would be 20 000, only 5 000 left.
    const l = ledgerOf([
      { id: 'c', declaredAt: '2026-05-01T10:00', resolvedAt: '2026-05-01T18:00' },
      { id: 'a', declaredAt: '2026-03-01T10:00', resolvedAt: '2026-03-01T20:00' },
      { id: 'b', declaredAt: '2026-04-01T10:00', resolvedAt: '2026-04-01T17:00' },
      { id: 'd', declaredAt: '2026-06-01T10:00', resolvedAt: '2026-06-01T15:00' },
    ]);
    expect(view(l)).toEqual([
      { id: 'a', hoursOver: 6, deduction: 30000, cap: false },
      { id: 'b', hoursOver: 3, deduction: 15000, cap: false },
      { id: 'c', hoursOver: 4, deduction: 5000, cap: true },
      { id: 'd', hoursOver: 1, deduction: 0, cap: true },
    ]);
    expect([l.deductionCents, l.capApplied]).toEqual([5_000_000, true]);
  });

  it('caps per calendar month of resolution, or per incident', () => {
    const records = [
      { id: 'm1', declaredAt: '2026-03-01T10:00', resolvedAt: '2026-03-01T22:00' }, // 8 h → 40 000
      { id: 'm2', declaredAt: '2026-03-31T20:00', resolvedAt: '2026-04-01T04:00' }, // 4 h → 20 000, April
      { id: 'm3', declaredAt: '2026-03-20T10:00', resolvedAt: '2026-03-20T17:00' }, // 3 h → 15 000, March
    ];
    expect(view(ledgerOf(records, { capScope: 'month' }))).toEqual([
      { id: 'm1', hoursOver: 8, deduction: 40000, cap: false },
      { id: 'm3', hoursOver: 3, deduction: 10000, cap: true },
      { id: 'm2', hoursOver: 4, deduction: 20000, cap: false },
    ]);
    const perIncident = ledgerOf([{ id: 'long', resolvedAt: '2026-03-03T02:00' }], { capScope: 'incident' });
    // 12 h over = 60 000 → 50 000.
    expect(view(perIncident)).toEqual([{ id: 'long', hoursOver: 12, deduction: 50000, cap: true }]);
  });

  it('drills, cancelled and open incidents and incidents outside the term deduct nothing', () => {
    const l = ledgerOf([
      { id: 'drill', mode: 'drill', resolvedAt: '2026-03-02T20:00' },
      { id: 'cancelled', cancelled: true, resolvedAt: '2026-03-02T20:00' },
      { id: 'open' },
      { id: 'before', declaredAt: '2025-12-31T10:00', resolvedAt: '2025-12-31T20:00' },
    ]);
    expect(l.lines.map((x) => [x.id, x.excluded, x.deductionCents])).toEqual([
      ['before', 'outside_term', 0],
      ['cancelled', 'cancelled', 0],
      ['drill', 'drill', 0],
      ['open', 'open', 0],
    ]);
    expect(l.lines.find((x) => x.id === 'drill')!.hoursOver).toBe(6);
  });

  it('lists a late response without deducting, unless the contract says so', () => {
    // P2 respond 30 min: acknowledged 10:45 = 15 min over (one started hour); resolved on time.
    const rec = [{ id: 'slow-ack', acknowledgedAt: '2026-03-02T10:45', resolvedAt: '2026-03-02T12:00' }];
    expect(ledgerOf(rec).lines[0]).toMatchObject({ respondBreached: true, respondHoursOver: 1, deductionCents: 0 });
    expect(ledgerOf(rec, { responseDeducts: true }).lines[0]).toMatchObject({ deductionCents: 500_000 });
  });

  it('uses other rates, caps and severity tables, to the cent', () => {
    // 123 456.78 × 0.3 % = 370.37034 per hour; 2 started hours = 740.74068 → 740.74; cap 2 % = 2 469.1356 → 2 469.14.
    const l = ledgerOf([{ id: 'x', severity: 'P3', resolvedAt: '2026-03-02T15:30' }], {
      total: 123_456.78,
      ratePercentPerHour: 0.3,
      capPercent: 2,
      severities: { P3: { respond: 60, resolve: 240 } },
    });
    expect([l.lines[0].hoursOver, l.lines[0].deductionCents, l.capCents]).toEqual([2, 74_074, 246_914]);
  });

  it('splits into monthly statements that add up to the term, with the cap carried over', () => {
    const l = ledgerOf([
      { id: 'mar', declaredAt: '2026-03-01T10:00', resolvedAt: '2026-03-02T00:00' }, // 10 h → 50 000
      { id: 'apr', declaredAt: '2026-04-01T10:00', resolvedAt: '2026-04-01T16:00' }, // 2 h → 0 (cap)
    ]);
    const mar = statementOf(l, Date.parse('2026-03-01T00:00+08:00'), Date.parse('2026-04-01T00:00+08:00'));
    const apr = statementOf(l, Date.parse('2026-04-01T00:00+08:00'), Date.parse('2026-05-01T00:00+08:00'));
    expect([mar.deductionCents, apr.deductionCents, apr.capApplied]).toEqual([5_000_000, 0, true]);
    expect(mar.deductionCents + apr.deductionCents).toBe(l.deductionCents);
  });

  it('reports every problem of a contract and of an incident record', () => {
    const c = parseContract({ total: -1, term: { start: 'soon', end: '2026-01-01' }, capScope: 'year', extra: 1 });
    expect(c.ok).toBe(false);
    expect(!c.ok && c.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^total:/),
        expect.stringMatching(/^capScope:/),
        expect.stringMatching(/unknown key "extra"/),
      ]),
    );
    const w = parseContract({ ...base, term: { start: '2026-02-01T00:00', end: '2026-01-01T00:00' } });
    expect(!w.ok && w.problems).toEqual(['term: end must be after start']);
    // A bad term and a bad promotion are both reported; without promotions the defaults wait for a valid term.
    const both = parseContract({
      ...base,
      term: { start: 'soon', end: '2026-01-01T00:00' },
      promotions: [{ name: 'x', start: 'later', end: '2026-11-01T00:00' }],
    });
    expect(!both.ok && both.problems).toEqual([
      expect.stringMatching(/^term\.start:/),
      expect.stringMatching(/^promotions\[0\]\.start:/),
    ]);
    const noPromotions = parseContract({
      ...base,
      promotions: undefined,
      term: { start: 'soon', end: '2026-01-01T00:00' },
    });
    expect(!noPromotions.ok && noPromotions.problems).toEqual([expect.stringMatching(/^term\.start:/)]);
    const r = parseIncidentRecord(
      {
        id: 'x',
        severity: 'P2',
        declaredAt: '2026-03-02T10:00',
        acknowledgedAt: '2026-03-02T12:00',
        resolvedAt: '2026-03-02T11:00',
      },
      'Asia/Shanghai',
    );
    expect(!r.ok && r.problems).toEqual([
      'acknowledgedAt: after resolvedAt (a resolved incident cannot be acknowledged)',
    ]);
  });

  it('reports time and order problems alongside schema problems', () => {
    // An unknown key, a bad rounding, a term that ends before it starts and a promotion with a bad date.
    const c = parseContract({
      ...base,
      rounding: 'hourly',
      extra: 1,
      term: { start: '2026-02-01T00:00', end: '2026-01-01T00:00' },
      promotions: [{ name: 'x', start: 'later', end: '2026-11-01T00:00' }],
    });
    expect(!c.ok && c.problems).toEqual([
      expect.stringMatching(/^rounding:/),
      expect.stringMatching(/unknown key "extra"/),
      'term: end must be after start',
      'promotions[0].start: "later" is not an ISO-8601 date-time',
    ]);
    // A time that is not text is the schema's problem only; the zone of a bad contract falls back to Beijing.
    const t = parseContract({ ...base, total: 0, timezone: 'Mars/Olympus', term: { start: 5, end: 'soon' } });
    expect(!t.ok && t.problems).toEqual([
      expect.stringMatching(/^total:/),
      expect.stringMatching(/^term\.start:/),
      expect.stringMatching(/^timezone: unknown time zone/),
      'term.end: "soon" is not an ISO-8601 date-time',
    ]);
    const r = parseIncidentRecord(
      {
        id: 'x',
        severity: 'P4',
        note: 1,
        declaredAt: '2026-03-02T10:00',
        acknowledgedAt: 'soon',
        resolvedAt: '2026-03-02T09:00',
      },
      'Asia/Shanghai',
    );
    expect(!r.ok && r.problems).toEqual([
      expect.stringMatching(/^severity:/),
      expect.stringMatching(/unknown key "note"/),
      'acknowledgedAt: "soon" is not an ISO-8601 date-time',
      'resolvedAt: before declaredAt',
    ]);
  });
});
