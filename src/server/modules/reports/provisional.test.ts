/**
 * The provisional current period on both engines: the monthly CS report of the month under way,
 * read up to now and recomputed on every view (a later view counts the conversations since), never
 * stored (no id, no hash: nothing to sign), while producing that period is still refused; the
 * vendor reads a merchant's provisional report by naming it, another merchant cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { own } from './schema.ts';
import { seedMonth } from './testing.ts';

describe.each(engines)('provisional reports on %s', (engine) => {
  let t: TestApp;
  let shop: string;
  let owner: Client;
  let vendorOps: Client;
  let otherOwner: Client;
  const clock = manualClock('2026-10-20T11:00:00Z'); // 19:00 in Shanghai, an hour before c is written

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const home = await t.workspace(`pv-home-${engine}`, { installationOwner: true });
    vendorOps = await t.user(home.id, 'ops');
    const w = await t.workspace(`pv-${engine}`);
    [shop, owner] = [w.id, w.owner];
    otherOwner = (await t.workspace(`pv-other-${engine}`)).owner;
    await seedMonth(t.s, shop, owner.actor.userId);
  }, 120_000);
  afterAll(() => t?.close());

  const provisional = (c: Client, type: string, ws?: string) =>
    c.get(`/api/reports/provisional?type=${type}${ws ? `&workspace=${ws}` : ''}`);

  it('computes the month so far, as of now, and again on the next view', async () => {
    const first = await provisional(owner, 'monthly-cs');
    expect(first.statusCode).toBe(200);
    const a = first.json();
    expect(a).toMatchObject({ provisional: true, type: 'monthly-cs', periodKey: '2026-10' });
    expect(a).not.toHaveProperty('id');
    expect(a).not.toHaveProperty('sha256');
    expect(a.document.asOf).toBe('2026-10-20T19:00:00+08:00');
    expect(a.document.summary.created).toBe(2); // a (10-08) and b (10-09); c is written at 20:00
    clock.set('2026-10-20T13:00:00Z');
    const b = (await provisional(owner, 'monthly-cs')).json();
    expect([b.document.asOf, b.document.summary.created]).toEqual(['2026-10-20T21:00:00+08:00', 3]);
    // The daily report of today, too: the day under way.
    expect((await provisional(owner, 'daily')).json()).toMatchObject({ provisional: true, periodKey: '2026-10-20' });
  });

  it('stores nothing and cannot be signed: the period is produced only once it has ended', async () => {
    const stored = await own(t.s.db).selectFrom('reports').select('id').where('workspace_id', '=', shop).execute();
    expect(stored).toEqual([]);
    expect((await owner.get('/api/reports')).json().items).toEqual([]);
    const produce = await owner.post('/api/reports', { type: 'monthly-cs', period: '2026-10' });
    expect([produce.statusCode, produce.json().error.message]).toEqual([400, 'period 2026-10 has not ended yet']);
    expect((await owner.get('/api/reports/provisional')).statusCode).toBe(400); // the type is required
  });

  it("lets the vendor read a merchant's provisional report; another merchant cannot", async () => {
    const v = await provisional(vendorOps, 'monthly-cs', shop);
    expect([v.statusCode, v.json().document.workspaceId]).toEqual([200, shop]);
    expect((await provisional(otherOwner, 'monthly-cs', shop)).statusCode).toBe(403);
  });
});
