/**
 * Both parties read the same statement: the vendor's installation ops (home workspace owner,
 * admins, ops engineers) read and sign a merchant workspace's monthly statement by naming it
 * (`?workspace=`), recorded as the vendor with who and when; another merchant's staff cannot
 * read it, a merchant cannot sign as the vendor, and an unknown or malformed workspace is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

const at = (local: string) => new Date(`${local}+08:00`);
const contract = {
  total: 1000000,
  currency: 'CNY',
  term: { start: '2026-01-01T00:00:00+08:00', end: '2027-01-01T00:00:00+08:00' },
};

describe.each(engines)('the vendor and a merchant statement on %s', (engine) => {
  let t: TestApp;
  let vendorOps: Client;
  let vendorAgent: Client;
  let ownerA: Client;
  let opsA: Client;
  let ownerB: Client;
  let opsB: Client;
  let a: string;
  let b: string;
  const clock = manualClock(at('2026-03-02T10:00:00'));

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const home = await t.workspace('vendor', { installationOwner: true });
    vendorOps = await t.user(home.id, 'ops');
    vendorAgent = await t.user(home.id, 'agent');
    const wa = await t.workspace('shop-a');
    const wb = await t.workspace('shop-b');
    [a, b, ownerA, ownerB] = [wa.id, wb.id, wa.owner, wb.owner];
    opsA = await t.user(a, 'ops');
    opsB = await t.user(b, 'ops');
    for (const o of [ownerA, ownerB])
      expect((await o.request({ method: 'PUT', url: '/api/ops/contract', payload: contract })).statusCode).toBe(200);
    // A P2 in A resolved 2 h after its 4 h deadline: 2 started hours × 0.5 % of 1 000 000 = 10 000.
    const inc = (await opsA.post('/api/ops/incidents', { title: '工单流转卡住', severity: 'P2' })).json();
    clock.set(at('2026-03-02T16:00:00'));
    expect((await opsA.post(`/api/ops/incidents/${inc.id}/transitions`, { to: 'resolved' })).statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => t?.close());

  const url = (ws: string, rest = '') => `/api/ops/penalties/2026-03${rest}?workspace=${ws}`;

  it("lets the vendor read merchant A's statement in every format, the same figures A reads", async () => {
    const own = (await ownerA.get('/api/ops/penalties/2026-03')).json();
    const seen = await vendorOps.get(url(a));
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual(own);
    expect(own).toMatchObject({ deduction: 10000, lines: [expect.objectContaining({ hoursOver: 2 })] });
    const csv = await vendorOps.get(`${url(a)}&format=csv`);
    expect([csv.statusCode, csv.headers['content-disposition']]).toEqual([
      200,
      `attachment; filename="penalty-statement-${a}-2026-03.csv"`,
    ]);
    expect(csv.body).toContain(',10000.00,false,');
    expect((await vendorOps.get(`${url(a)}&format=html`)).body).toContain('故障扣款月度对账单');
    const pdf = await vendorOps.get(`${url(a)}&format=pdf`);
    expect([pdf.statusCode, pdf.rawPayload.subarray(0, 5).toString()]).toEqual([200, '%PDF-']);
    // The vendor's own home statement has no lines: the query, not the caller, chose A.
    expect((await vendorOps.get('/api/ops/penalties/2026-03')).json().lines).toEqual([]);
  });

  it("refuses merchant B's staff A's statement, and an unknown or malformed workspace", async () => {
    for (const c of [ownerB, opsB]) {
      const r = await c.get(url(a));
      expect([r.statusCode, r.json().error.message]).toEqual([
        403,
        "only the installation's ops may read another workspace's statement",
      ]);
      expect((await c.get(`${url(a)}&format=csv`)).statusCode).toBe(403);
    }
    expect((await ownerB.get(url(b))).json().lines).toEqual([]); // B's own, named, is fine
    expect((await vendorAgent.get(url(a))).statusCode).toBe(403); // the home agent is not installation ops
    const unknown = await vendorOps.get(url('ws_doesnotexist'));
    expect([unknown.statusCode, unknown.json().error.message]).toEqual([404, 'workspace not found']);
    expect((await vendorOps.get(url('a%27%20or%201=1'))).statusCode).toBe(400);
  });

  it('records the vendor sign-off on A with who and when; a merchant cannot sign as the vendor', async () => {
    const sign = (c: Client, ws: string | null, party: string) =>
      c.post(ws ? url(ws, '/sign-off') : '/api/ops/penalties/2026-03/sign-off', { party });
    expect((await sign(opsA, null, 'vendor')).statusCode).toBe(403); // A's own ops engineer is the merchant's
    expect((await sign(ownerA, null, 'vendor')).json().error.message).toBe('your role cannot sign for the vendor');
    expect((await sign(ownerB, a, 'vendor')).statusCode).toBe(403);
    expect((await sign(ownerB, a, 'merchant')).statusCode).toBe(403);
    expect((await sign(vendorOps, a, 'merchant')).statusCode).toBe(403); // the vendor never signs as the merchant
    clock.set(at('2026-03-02T17:00:00'));
    const v = await sign(vendorOps, a, 'vendor');
    expect(v.statusCode).toBe(200);
    expect(v.json().signoffs).toEqual([
      {
        party: 'vendor',
        userName: expect.stringMatching(/^ops /),
        at: at('2026-03-02T17:00:00').toISOString(),
        deduction: 10000,
        current: true,
      },
    ]);
    expect((await sign(vendorOps, a, 'vendor')).json().error.code).toBe('already_signed');
    clock.set(at('2026-03-02T17:30:00'));
    expect((await sign(ownerA, null, 'merchant')).statusCode).toBe(200);
    const both = (await ownerA.get('/api/ops/penalties/2026-03')).json().signoffs;
    expect(both.map((x: { party: string }) => x.party).sort()).toEqual(['merchant', 'vendor']);
    // Nothing landed on B or on the vendor's home workspace.
    expect((await ownerB.get('/api/ops/penalties/2026-03')).json().signoffs).toEqual([]);
    expect((await vendorOps.get('/api/ops/penalties/2026-03')).json().signoffs).toEqual([]);
  });
});
