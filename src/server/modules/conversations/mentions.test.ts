/** @mentions in notes (issue 16): who a note names, the picker's list, and the notification each person gets. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allTables, engines, testApp, type TestApp } from '../../testing/harness.ts';
import { mentionedIn } from './mentions.ts';

describe('mentionedIn', () => {
  const people = [
    { id: 'u1', name: '林小雨' },
    { id: 'u2', name: '林' },
    { id: 'u3', name: 'Amy Chen' },
    { id: 'u4', name: 'Amy' },
  ];
  it('finds names after @, the longest first, ending at a space, punctuation, the end or Chinese text', () => {
    expect(mentionedIn('@林小雨 请看一下', people)).toEqual(['u1']);
    expect(mentionedIn('@林小雨请跟进', people)).toEqual(['u1']);
    expect(mentionedIn('@林，麻烦了', people)).toEqual(['u2']);
    expect(mentionedIn('cc @Amy Chen and @Amy.', people).sort()).toEqual(['u3', 'u4']);
    expect(mentionedIn('@Amyx is nobody', people)).toEqual([]);
    expect(mentionedIn('mail amy@example.com; no @ here', people)).toEqual([]);
    expect(mentionedIn('@林小雨 @林小雨', people)).toEqual(['u1']);
  });
});

describe.each(engines)('mentions in notes on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('lists who can be mentioned and notifies each person a note names, never its author, never for a reply', async () => {
    t = await testApp(engine, { clock: manualClock('2026-03-02T03:00:00Z') });
    const { id: wsId, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/offline-message`,
      payload: { name: '王小明', contact: '13800138000', body: '快递三天没动了' },
    });
    const conv = (await owner.get('/api/conversations')).json().items[0];
    const lin = await t.user(wsId, 'agent');
    await owner.patch(`/api/users/${lin.actor.userId}`, { displayName: '林小雨' });
    const zhou = await t.user(wsId, 'supervisor');
    await owner.patch(`/api/users/${zhou.actor.userId}`, { displayName: '周杰' });
    const ops = await t.user(wsId, 'ops'); // works no conversations: not offered

    // The picker's list: agents may read it (they hold no users.read).
    const list = await lin.get('/api/mentionable-users');
    expect(list.statusCode, list.body).toBe(200);
    const names = list.json().items.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['林小雨', '周杰']));
    // The account name, typed by hand, names the person too (t.user's account names are the role's).
    const zhouAccount = list.json().items.find((p: { id: string }) => p.id === zhou.actor.userId).accountName;
    expect(zhouAccount).toBeTruthy();
    expect(list.json().items.map((p: { id: string }) => p.id)).not.toContain(ops.actor.userId);

    const note = await lin.post(`/api/conversations/${conv.id}/messages`, {
      clientId: 'n1',
      kind: 'note',
      body: '@周杰 这个客户要求加急，@林小雨 我先跟进',
    });
    expect(note.statusCode, note.body).toBe(200);
    // A reply naming someone is for the shopper: no notification.
    await lin.post(`/api/conversations/${conv.id}/messages`, { clientId: 'r1', body: '@周杰 会尽快处理' });

    await expect
      .poll(async () => (await zhou.get('/api/notifications')).json().items.length, { timeout: 10_000 })
      .toBe(1);
    const [n] = (await zhou.get('/api/notifications')).json().items;
    expect(n).toMatchObject({
      type: 'mention',
      link: `/inbox?c=${conv.id}`,
      read: false,
      data: { by: '林小雨', subject: { type: 'conversation', id: conv.id }, messageId: note.json().id },
    });
    // The author named themselves: nothing for them.
    expect((await lin.get('/api/notifications')).json().items).toEqual([]);
    // A push is queued for the mentioned person's browsers.
    const pushes = await allTables(t.s)
      .selectFrom('jobs')
      .selectAll()
      .where('type', '=', 'notifications.push')
      .execute();
    expect(pushes.map((j) => JSON.parse(String(j.payload)).notificationId)).toContain(n.id);
    // The audit log has ids, not the note's text.
    const audit = (await owner.get('/api/audit?action=conversation.mentioned')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: lin.actor.userId, data: { userIds: [zhou.actor.userId] } });
    expect(JSON.stringify(audit)).not.toContain('加急');
  });
});
