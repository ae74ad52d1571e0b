/**
 * An agent is named to others by their display name (昵称), not their account name (issue 16):
 * the war room, the ticket timeline, the audit log, the people directory and what other modules
 * learn about a person (activeMembers: notifications, on-call) all say "客服小雨", never "Ann Agent".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { activeMembers } from './index.ts';

describe.each(engines)('display names on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('names the agent by the display name wherever colleagues see them; the account name only where accounts are managed', async () => {
    t = await testApp(engine);
    const { id: wsId, owner } = await t.workspace('shop');
    const agent = await t.user(wsId, 'agent');
    const id = agent.actor.userId;
    const account = (await owner.get('/api/users')).json().items.find((u: { id: string }) => u.id === id).name;
    expect(account).not.toBe('客服小雨');
    const named = await owner.patch(`/api/users/${id}`, { displayName: '客服小雨' });
    expect(named.statusCode, named.body).toBe(200);

    // The ticket timeline names who did it.
    const ticket = (await agent.post('/api/tickets', { subject: '发票抬头写错了' })).json();
    const timeline = (await owner.get(`/api/tickets/${ticket.id}/timeline`)).json().items;
    expect(timeline[0]).toMatchObject({ type: 'created', actor: { id, name: '客服小雨' } });

    // The war room lists the agent by the display name.
    const put = await owner.request({
      method: 'PUT',
      url: `/api/routing/agents/${id}`,
      payload: { capacityChat: 3, capacityTicket: 10, skills: [] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const room = (await owner.get('/api/routing/war-room')).json();
    const row = room.agents.find((a: { userId: string }) => a.userId === id);
    expect(row.name).toBe('客服小雨');
    expect(JSON.stringify(room)).not.toContain(account);

    // The audit log and the directory, and what other modules learn about the person.
    const audit = (await owner.get('/api/audit?action=ticket.created')).json().items;
    expect(audit[0]).toMatchObject({ actorId: id, actorName: '客服小雨' });
    const directory = (await agent.get('/api/users/directory')).json().items;
    expect(directory.find((u: { id: string }) => u.id === id).name).toBe('客服小雨');
    expect((await activeMembers(t.s, wsId, [id]))[0]?.name).toBe('客服小雨');

    // User management keeps both: the account name and the display name.
    const user = (await owner.get('/api/users')).json().items.find((u: { id: string }) => u.id === id);
    expect(user).toMatchObject({ name: account, displayName: '客服小雨' });

    // Without a display name, the account name is what shows.
    await owner.patch(`/api/users/${id}`, { displayName: '' });
    expect((await activeMembers(t.s, wsId, [id]))[0]?.name).toBe(account);
  });
});
