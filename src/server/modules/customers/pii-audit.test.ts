/**
 * Access to unmasked personal data is itself audited (issue #9): a profile, or a ticket's phone and
 * e-mail fields, shown unmasked (the viewer holds customers.pii) leave an audit entry naming who saw
 * which fields — never the values; a masked view leaves none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

describe.each(engines)('unmasked PII access on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await testApp(engine);
    ({ id: wsId, owner } = await t.workspace('shop'));
    const inbox = (
      await owner.post('/api/inboxes', {
        name: 'Web',
        settings: {
          allowedOrigins: ['https://shop.example.com'],
          preChat: { enabled: true, fields: ['name', 'phone'], required: [] },
        },
      })
    ).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/session`,
      payload: {
        visitorId: 'visitor-pii-audit-0001',
        origin: 'https://shop.example.com',
        preChat: { name: '审计丁', phone: '13533330001' },
      },
    });
    customerId = res.json().customerId;
  });
  afterAll(async () => t?.close());

  const views = async () =>
    ((await owner.get('/api/audit?action=customer.pii_viewed')).json().items as Record<string, unknown>[]).filter(
      (e) => e.objectId === customerId,
    );

  it('records who saw which fields unmasked, without the values', async () => {
    const supervisor = await t.user(wsId, 'supervisor');
    const seen = await supervisor.get(`/api/customers/${customerId}`);
    expect(seen.json()).toMatchObject({ name: '审计丁', phone: '13533330001', masked: false });
    const entries = await views();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: supervisor.actor.userId, data: { fields: ['name', 'phone'] } });
    expect(JSON.stringify(entries)).not.toContain('13533330001');
    expect(JSON.stringify(entries)).not.toContain('审计丁');
  });

  it('records nothing for a masked view', async () => {
    const before = (await views()).length;
    const agent = await t.user(wsId, 'agent');
    expect((await agent.get(`/api/customers/${customerId}`)).json().masked).toBe(true);
    expect(await views()).toHaveLength(before);
  });

  it('records a ticket whose phone field is shown unmasked, and not a masked one', async () => {
    await owner.post('/api/ticket-fields', { key: 'callback', label: 'Callback', type: 'phone' });
    const ticket = (
      await owner.post('/api/tickets', { subject: 'Call back', customerId, fields: { callback: '13533330002' } })
    ).json();
    const ticketViews = async () =>
      ((await owner.get('/api/audit?action=ticket.pii_viewed')).json().items as Record<string, unknown>[]).filter(
        (e) => e.objectId === ticket.id,
      );
    const agent = await t.user(wsId, 'agent');
    expect((await agent.get(`/api/tickets/${ticket.id}`)).json().fields.callback).not.toBe('13533330002');
    expect(await ticketViews()).toHaveLength(0);
    const supervisor = await t.user(wsId, 'supervisor');
    expect((await supervisor.get(`/api/tickets/${ticket.id}`)).json().fields.callback).toBe('13533330002');
    const entries = await ticketViews();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: supervisor.actor.userId, data: { fields: ['callback'] } });
    expect(JSON.stringify(entries)).not.toContain('13533330002');
  });
});
