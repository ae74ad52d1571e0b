/**
 * The chat bus consumer's cheap check (`mayUseBot`): a workspace known to have no bot settings is
 * skipped without a promise per message, and one that turns the bot on is answered from its next
 * message, not when the 30 s cache runs out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBotSettings } from '../../../shared/bot-api.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { seedKnowledge } from '../knowledge/index.ts';
import { mayUseBot } from './settings.ts';

describe.each(engines)('whether a workspace may use the bot, on %s', (engine) => {
  let t: TestApp;
  afterAll(async () => t?.close());
  beforeAll(async () => {
    t = await testApp(engine);
  });

  it('skips a workspace without bot settings, and answers at once when the bot is turned on', async () => {
    const ws = await t.workspace('no-bot-yet');
    await seedKnowledge(t.s, { workspaceId: ws.id, ownerId: ws.owner.actor.userId });
    const inbox = (
      await ws.owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-uses-bot-abcdefgh', origin: 'https://shop.example.com' },
      })
    ).json();
    const conv = (await conversationForCustomer(t.s, ws.id, inbox.id, session.customerId, true))!;
    const shopper = { type: 'customer' as const, id: session.customerId, name: null, workspaceId: ws.id };
    let n = 0;
    const say = (body: string) => postMessage(t.s, shopper, conv.id, { clientId: `c-${++n}`, kind: 'text', body });
    const botMessages = async () =>
      (
        (await ws.owner.get(`/api/conversations/${conv.id}/messages`)).json().items as { sender: { type: string } }[]
      ).filter((m) => m.sender.type === 'bot').length;

    // Unknown at first: the consumer looks, learns there are no settings, and says nothing.
    expect(mayUseBot(t.s, ws.id)).toBe(true);
    await say('发货要多久');
    await expect.poll(() => mayUseBot(t.s, ws.id), { timeout: 5_000, interval: 20 }).toBe(false);
    expect(await botMessages()).toBe(0);

    // Turned on: known at once on this node (the save forgets the cached "no"), answered at once.
    await ws.owner.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: defaultBotSettings() });
    expect(mayUseBot(t.s, ws.id)).toBe(true);
    await say('发货要多久');
    await expect.poll(botMessages, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
  });
});
