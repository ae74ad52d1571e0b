/** The customers page's API: the list (paged, searched, filtered, masked by role), CSV export, a customer's tickets. */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { customerForVisitor } from './index.ts';

describe.each(engines)('customers on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup() {
    t = await testApp(engine);
    const { id: wsId, owner } = await t.workspace('shop');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await customerForVisitor(t.s, {
        workspaceId: wsId,
        visitorId: `visitor_${i}_abcdefghijklmnop`,
        pii: { name: `顾客${i}号`, phone: `1380013800${i}`, email: `c${i}@example.com` },
      });
      ids.push(c.id);
    }
    await owner.patch(`/api/customers/${ids[2]}`, { tier: 'VIP' });
    await owner.patch(`/api/customers/${ids[5]}`, { tier: 'VIP' });
    return { wsId, owner, ids };
  }

  it('lists newest first by keyset pages, filters by tier and finds exact phones, e-mails and names', async () => {
    const { owner, ids } = await setup();
    const first = (await owner.get('/api/customers?limit=4')).json();
    expect(first.items.map((c: { id: string }) => c.id)).toEqual([...ids].reverse().slice(0, 4));
    const second = (await owner.get(`/api/customers?limit=4&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((c: { id: string }) => c.id)).toEqual([...ids].reverse().slice(4));
    expect(second.nextCursor).toBeNull();
    expect((await owner.get('/api/customers?tier=VIP')).json().items.map((c: { id: string }) => c.id)).toEqual([
      ids[5],
      ids[2],
    ]);
    const byPhone = (await owner.get('/api/customers?q=13800138003')).json();
    expect(byPhone).toMatchObject({ search: { kind: 'phone' }, items: [{ id: ids[3], name: '顾客3号' }] });
    expect((await owner.get('/api/customers?q=c4@example.com')).json().items[0].id).toBe(ids[4]);
    expect((await owner.get(`/api/customers?q=${encodeURIComponent('顾客1号')}`)).json().items[0].id).toBe(ids[1]);
    expect((await owner.get('/api/customers?q=nobody-at-all')).json()).toMatchObject({
      items: [],
      search: { kind: 'none' },
    });
    expect((await owner.get('/api/customers?cursor=garbage')).statusCode).toBe(400);
    expect((await owner.get('/api/customers?limit=1000')).statusCode).toBe(400);
  });

  it("lists the workspace's tiers in use with their counts, for the list's filter", async () => {
    const { owner, ids } = await setup();
    await owner.patch(`/api/customers/${ids[0]}`, { tier: 'enterprise' });
    expect((await owner.get('/api/customer-tiers')).json()).toEqual({
      items: [
        { tier: 'VIP', count: 2 },
        { tier: 'enterprise', count: 1 },
      ],
    });
    // Another workspace sees only its own.
    const other = await t.workspace('other-shop');
    expect((await other.owner.get('/api/customer-tiers')).json()).toEqual({ items: [] });
  });

  it('masks the list and the CSV for roles without customers.pii, and audits every export', async () => {
    const { owner, wsId } = await setup();
    const agent = await t.user(wsId, 'agent');
    const masked = (await agent.get('/api/customers')).json().items[0];
    expect(masked).toMatchObject({ masked: true, name: '顾***', phone: '138****8006' });
    const csv = await agent.get('/api/customers/export.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('138****8006');
    expect(csv.body).not.toContain('13800138006');
    expect(csv.body).not.toContain('顾客6号');
    const full = (await owner.get('/api/customers/export.csv?tier=VIP')).body;
    expect(full.trim().split('\r\n')).toHaveLength(3); // header + two VIPs
    expect(full).toContain('13800138005');
    const audit = (await owner.get('/api/audit?action=customer.list_exported')).json().items;
    expect(audit.map((e: { data: object }) => e.data)).toEqual([
      { rows: 2, masked: false, tier: 'VIP' },
      { rows: 7, masked: true, tier: null },
    ]);
  });

  it("lists a customer's tickets, and nothing for another workspace's customer", async () => {
    const { owner, ids } = await setup();
    const tk = (await owner.post('/api/tickets', { subject: '退货', customerId: ids[1] })).json();
    expect((await owner.get(`/api/customers/${ids[1]}/tickets`)).json().items.map((x: { id: string }) => x.id)).toEqual(
      [tk.id],
    );
    const { owner: other } = await t.workspace('other');
    expect((await other.get(`/api/customers/${ids[1]}/tickets`)).statusCode).toBe(404);
    expect((await other.get('/api/customers')).json().items).toEqual([]);
  });
});
