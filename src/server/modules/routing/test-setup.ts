/**
 * The routing integration tests' workspace: a web inbox, the workspace rule (least-busy unless
 * overridden), agents added with a capacity and skills (connected), and shoppers arriving one
 * second apart through the widget.
 */
import { expect } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import type { Engine } from '../../db/index.ts';
import { allTables, testApp, type Client } from '../../testing/harness.ts';
import { conversationForCustomer } from '../conversations/index.ts';
import { agentConnected } from './index.ts';

export async function routingSetup(engine: Engine, rule: object = {}) {
  const clock = manualClock('2026-11-11T02:00:00Z');
  const t = await testApp(engine, { clock });
  const { id: ws, owner } = await t.workspace('shop');
  const inbox = (
    await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
  ).json();
  expect(inbox.id).toBeTruthy();
  const put = await owner.request({
    method: 'PUT',
    url: '/api/routing/rules/*',
    payload: { enabled: true, strategy: 'least_busy', graceSeconds: 30, ...rule },
  });
  expect(put.statusCode, put.body).toBe(200);
  const agents: Client[] = [];
  const addAgent = async (capacity: number, skills: string[] = []) => {
    const a = await t.user(ws, 'agent');
    const r = await owner.request({
      method: 'PUT',
      url: `/api/routing/agents/${a.actor.userId}`,
      payload: { capacityChat: capacity, capacityTicket: 10, skills },
    });
    expect(r.statusCode, r.body).toBe(200);
    await agentConnected(t.s, ws, a.actor.userId);
    agents.push(a);
    return a;
  };
  let n = 0;
  /** A shopper arrives (with a customer tier; `before` runs once their customer exists, before the conversation). */
  const arrive = async (tier?: string, before?: (customerId: string) => Promise<unknown>) => {
    const visitorId = `visitor-${String(++n).padStart(12, '0')}`;
    const sess = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId, origin: 'https://shop.example.com' },
      })
    ).json();
    if (tier) await allTables(t.s).updateTable('customers').set({ tier }).where('id', '=', sess.customerId).execute();
    if (before) await before(sess.customerId as string);
    clock.advance(1000);
    const conv = await conversationForCustomer(t.s, ws, inbox.id, sess.customerId, true);
    return conv!.id;
  };
  const item = (id: string) =>
    allTables(t.s).selectFrom('routing_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const assignee = async (id: string) =>
    (
      await allTables(t.s)
        .selectFrom('conversations')
        .select('assignee_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).assignee_id;
  const resolve = (by: Client, id: string) => by.patch(`/api/conversations/${id}`, { status: 'resolved' });
  return { t, clock, ws, owner, inbox, agents, addAgent, arrive, item, assignee, resolve };
}
