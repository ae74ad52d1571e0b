/**
 * Tickets and issue #9: read-only roles keep their own views but cannot share one (finding 12);
 * attachment ids on notes and replies must be the workspace's uploads (15); custom fields typed as
 * phone or e-mail are personal data: encrypted, masked by role, kept out of the audit log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { dumpDatabase } from '../../testing/db-dump.ts';
import { multipart, png } from '../../testing/multipart.ts';

describe.each(engines)('ticket security on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('lets read-only roles keep their own views, and only administrators share one', async () => {
    t = await testApp(engine);
    const { id, owner } = await t.workspace('shop');
    for (const role of ['readonly', 'auditor', 'agent'] as const) {
      const c = await t.user(id, role);
      const shared = await c.post('/api/ticket-views', { name: `${role} for all`, shared: true, query: {} });
      expect([shared.statusCode, shared.json().error.code], role).toEqual([403, 'forbidden']);
      const mine = await c.post('/api/ticket-views', { name: `${role} own`, query: {} });
      expect(mine.statusCode, role).toBe(200);
      expect((await c.del(`/api/ticket-views/${mine.json().id}`)).statusCode, role).toBe(200);
    }
    expect((await owner.post('/api/ticket-views', { name: 'Team', shared: true, query: {} })).statusCode).toBe(200);
    const names = (await owner.get('/api/ticket-views')).json().items.map((v: { name: string }) => v.name);
    expect(names).toEqual(['Team']);
  });

  it("refuses another workspace's (or an unknown) attachment id on a note or a reply", async () => {
    t = await testApp(engine);
    const a = await t.workspace('alpha');
    const b = await t.workspace('bravo');
    const up = async (c: Client) => {
      const m = multipart('a.png', 'image/png', png);
      return (await c.request({ method: 'POST', url: '/api/uploads', payload: m.payload, headers: m.headers })).json();
    };
    const theirs = await up(a.owner);
    const mine = await up(b.owner);
    const ticket = (await b.owner.post('/api/tickets', { subject: 'Note with a file' })).json();
    const reply = (attachments: { id: string }[], isPublic: boolean) =>
      b.owner.post(`/api/tickets/${ticket.id}/replies`, { body: 'see file', public: isPublic, attachments });
    for (const isPublic of [false, true]) {
      expect((await reply([{ id: theirs.id }], isPublic)).statusCode).toBe(400);
      expect((await reply([{ id: 'att_does_not_exist' }], isPublic)).statusCode).toBe(400);
    }
    expect((await reply([{ id: mine.id }], false)).statusCode).toBe(200);
    const used = await allTables(t.s).selectFrom('attachments').select(['id', 'attached_at']).execute();
    expect(Object.fromEntries(used.map((r) => [r.id, r.attached_at !== null]))).toEqual({
      [theirs.id]: false,
      [mine.id]: true,
    });
  });

  it('encrypts phone and e-mail fields, masks them for roles without customers.pii, and keeps them out of the audit log', async () => {
    t = await testApp(engine);
    const { id, owner } = await t.workspace('shop');
    await owner.post('/api/ticket-fields', { key: 'callback', label: 'Callback', type: 'phone' });
    await owner.post('/api/ticket-fields', { key: 'invoice_mail', label: 'Invoice e-mail', type: 'email' });
    const bad = await owner.post('/api/tickets', { subject: 'x', fields: { callback: 'call me maybe' } });
    expect(bad.json().error.code).toBe('invalid_fields');
    let ticket = (
      await owner.post('/api/tickets', {
        subject: '发票',
        fields: { callback: '13812345678', invoice_mail: 'finance@buyer.example' },
      })
    ).json();
    expect(ticket.fields).toEqual({ callback: '13812345678', invoice_mail: 'finance@buyer.example' });
    ticket = (
      await owner.patch(`/api/tickets/${ticket.id}`, { version: ticket.version, fields: { callback: '13987654321' } })
    ).json();
    // The same value again is no change.
    const same = (
      await owner.patch(`/api/tickets/${ticket.id}`, { version: ticket.version, fields: { callback: '13987654321' } })
    ).json();
    expect(same.version).toBe(ticket.version + 1);
    const dump = await dumpDatabase(t.s);
    for (const v of ['13812345678', '13987654321', 'finance@buyer.example']) expect(dump).not.toContain(v);

    const agent = await t.user(id, 'agent');
    expect((await agent.get(`/api/tickets/${ticket.id}`)).json().fields).toEqual({
      callback: '139****4321',
      invoice_mail: 'f***@buyer.example',
    });
    const timeline = (c: Client) => c.get(`/api/tickets/${ticket.id}/timeline`).then((r) => r.json().items);
    const change = (items: { type: string; data: { field?: string } }[]) =>
      items.filter((e) => e.type === 'field' && e.data.field === 'fields');
    expect(change(await timeline(agent))).toHaveLength(1);
    expect(change(await timeline(agent))[0].data).toMatchObject({
      from: { callback: '138****5678' },
      to: { callback: '139****4321' },
    });
    expect(change(await timeline(owner))[0].data).toMatchObject({ to: { callback: '13987654321' } });
    const audit = (await owner.get('/api/audit?action=ticket.updated')).json().items;
    expect(audit[0].data.fields.to).toEqual({ callback: '[personal data]', invoice_mail: '[personal data]' });
  });
});
