/**
 * A customer entered by hand (issue #16 defect 2): validated at the edge, one profile per phone or
 * e-mail (409 naming the existing one), masked for the creator's role, audited, permissioned like
 * editing a customer, and usable on a ticket at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

describe.each(engines)('creating a customer on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let agent: Client;
  let wsId: string;
  const count = async () => (await owner.get('/api/customers?limit=200')).json().items.length as number;

  beforeAll(async () => {
    t = await testApp(engine);
    ({ id: wsId, owner } = await t.workspace('shop'));
    agent = await t.user(wsId, 'agent');
  });
  afterAll(async () => t?.close());

  it('refuses bad input with a reason and stores nothing', async () => {
    const before = await count();
    for (const body of [
      {},
      { name: '   ', phone: '13800000001' },
      { name: '张三' }, // no way to reach them
      { name: '张三', phone: 'call me maybe' },
      { name: '张三', phone: '123' },
      { name: '张三', email: 'not-an-address' },
      { name: '张三', phone: '13800000001', role: 'admin' },
      { name: 'x'.repeat(101), phone: '13800000001' },
    ]) {
      const res = await agent.post('/api/customers', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.message).toBeTruthy();
    }
    expect(await count()).toBe(before);
  });

  it('creates a profile, masked for an agent and whole for the owner, and audits it', async () => {
    const res = await agent.post('/api/customers', {
      name: '王小明',
      phone: '139 1234 5678',
      email: 'wxm@example.com',
    });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({ masked: true, name: '王**', phone: '139****5678', email: 'w***@example.com' });
    expect((await owner.get(`/api/customers/${c.id}`)).json()).toMatchObject({
      name: '王小明',
      phone: '139 1234 5678',
      email: 'wxm@example.com',
      lastSeenAt: null,
    });
    // Found by the exact search, whichever way the phone is typed.
    expect((await owner.get('/api/customers?q=13912345678')).json().items.map((x: { id: string }) => x.id)).toEqual([
      c.id,
    ]);
    const audit = (await owner.get('/api/audit?action=customer.created')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ objectId: c.id, data: { fields: ['name', 'phone', 'email'] } });
    expect(JSON.stringify(audit)).not.toContain('王小明');
    // Usable on a ticket at once.
    const ticket = await agent.post('/api/tickets', { subject: '发票', customerId: c.id });
    expect(ticket.statusCode, ticket.body).toBe(200);
    expect(ticket.json().customerId).toBe(c.id);
  });

  it('answers 409 with the existing customer for a known phone or e-mail, and creates nothing', async () => {
    const first = (await agent.post('/api/customers', { name: '李四', phone: '13700000002' })).json();
    const other = (await agent.post('/api/customers', { name: '赵六', email: 'z6@example.com' })).json();
    const before = await count();
    const byPhone = await agent.post('/api/customers', { name: '李四四', phone: '137-0000-0002' });
    expect(byPhone.statusCode).toBe(409);
    expect(byPhone.json().error).toMatchObject({
      code: 'customer_exists',
      issues: [{ field: 'phone', customerId: first.id }],
    });
    const byEmail = await agent.post('/api/customers', { name: '赵', phone: '13600000003', email: 'z6@example.com' });
    expect(byEmail.json().error).toMatchObject({
      code: 'customer_exists',
      issues: [{ field: 'email', customerId: other.id }],
    });
    expect(await count()).toBe(before);
    // Another workspace's customers are not "existing" here.
    const { owner: elsewhere } = await t.workspace('other');
    expect((await elsewhere.post('/api/customers', { name: '李四', phone: '13700000002' })).statusCode).toBe(200);
  });

  it('is refused to roles that cannot edit customers', async () => {
    const readonly = await t.user(wsId, 'readonly');
    const res = await readonly.post('/api/customers', { name: '钱七', phone: '13500000004' });
    expect(res.statusCode).toBe(403);
  });
});
