/**
 * The learning loop, on both engines: a shopper rates a bot answer from the widget (only their own,
 * only answers), and a workspace's ratings retrain its bot at the next index build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientIdPrefix } from '../../../shared/bot-buttons.ts';
import { defaultBotSettings } from '../../../shared/bot-api.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { seedKnowledge } from '../knowledge/index.ts';
import { buildIndex, minFeedback } from './knowledge-index.ts';

type Msg = { id: string; seq: number; cid: string | null; kind: string; body: string; sender: { type: string } };

describe.each(engines)('bot ratings on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  let inbox: { id: string; publicId: string };
  let n = 0;

  beforeAll(async () => {
    t = await testApp(engine);
    const ws = await t.workspace('ratings');
    owner = ws.owner;
    wsId = ws.id;
    await seedKnowledge(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
    inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await owner.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: defaultBotSettings() });
  });
  afterAll(async () => t?.close());

  async function shopper() {
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: `visitor-rating-${++n}-abcdefgh`, origin: 'https://shop.example.com' },
      })
    ).json() as { token: string; customerId: string };
    const conv = (await conversationForCustomer(t.s, wsId, inbox.id, session.customerId, true))!;
    return {
      token: session.token,
      /** Sends a message and returns the bot's first text reply to it. */
      async ask(body: string): Promise<Msg> {
        const ack = await postMessage(
          t.s,
          { type: 'customer', id: session.customerId, name: null, workspaceId: wsId },
          conv.id,
          { clientId: `c-${++n}`, kind: 'text', body },
        );
        let reply: Msg | undefined;
        await expect
          .poll(
            async () => {
              const all = (await owner.get(`/api/conversations/${conv.id}/messages`)).json().items as Msg[];
              reply = all.find((m) => m.seq > ack.seq && m.sender.type === 'bot' && m.kind === 'text');
              return !!reply;
            },
            { timeout: 15_000, interval: 25 },
          )
          .toBe(true);
        return reply!;
      },
    };
  }
  const rate = (token: string | null, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/widget/${inbox.publicId}/bot-rating`,
      headers: token ? { authorization: `Widget ${token}` } : {},
      payload: payload as object,
    });
  const turnOf = (replyId: string) =>
    allTables(t.s).selectFrom('bot_turns').selectAll().where('reply_id', '=', replyId).executeTakeFirst();

  it('records a shopper rating of their own answer; nothing else is rateable', async () => {
    const a = await shopper();
    const answer = await a.ask('下单后一般几天能发货？');
    expect(answer.cid?.startsWith(answerClientIdPrefix)).toBe(true);
    expect((await rate(a.token, { messageId: answer.id, useful: true })).json()).toEqual({ ok: true, rating: 1 });
    expect((await turnOf(answer.id))?.rating).toBe(1);
    // Changing one's mind replaces the rating.
    expect((await rate(a.token, { messageId: answer.id, useful: false })).statusCode).toBe(200);
    expect((await turnOf(answer.id))?.rating).toBe(-1);

    // Another shopper, no token, a forged token, bad input: refused, nothing changed.
    const b = await shopper();
    expect((await rate(b.token, { messageId: answer.id, useful: true })).statusCode).toBe(404);
    expect((await rate(null, { messageId: answer.id, useful: true })).statusCode).toBe(401);
    expect((await rate('forged', { messageId: answer.id, useful: true })).statusCode).toBe(401);
    expect((await rate(a.token, { messageId: answer.id, useful: 'yes' })).statusCode).toBe(400);
    expect((await rate(a.token, { messageId: answer.id })).statusCode).toBe(400);
    expect((await turnOf(answer.id))?.rating).toBe(-1);

    // A hand-off message is not an answer from the knowledge base.
    const handoff = await b.ask('转人工');
    expect(handoff.cid?.startsWith(answerClientIdPrefix)).toBe(false);
    expect((await rate(b.token, { messageId: handoff.id, useful: true })).statusCode).toBe(404);
  }, 60_000);

  it('retrains the bot from the workspace ratings once there are enough', async () => {
    const idx = await buildIndex(t.s, wsId);
    expect(idx.feedback).toBe(0);
    const entries = [...idx.entries.values()];
    const shipping = entries.find((e) => e.question === '什么时候发货？')!;
    // A wording no entry uses; shoppers who asked it found the shipping answer useful.
    const wording = '宝贝啥时候能从你们仓库出门呀';
    const now = new Date().toISOString();
    const rows = Array.from({ length: minFeedback + 4 }, (_, i) => {
      const wrong = i % 4 === 3;
      return {
        message_id: `rated-${engine}-${i}`,
        workspace_id: wsId,
        conversation_id: 'conv-rated',
        query: wrong ? `今天天气怎么样 ${i}` : `${wording}${i % 2 ? '？' : ''}`,
        intent: null,
        entry_id: wrong ? entries[i % entries.length]!.id : shipping.id,
        confidence: 0.5,
        outcome: 'answered',
        reply_id: `reply-rated-${engine}-${i}`,
        rating: wrong ? -1 : 1,
        created_at: now,
      };
    });
    await allTables(t.s).insertInto('bot_turns').values(rows).execute();
    const trained = await buildIndex(t.s, wsId);
    expect(trained.feedback).toBeGreaterThanOrEqual(rows.length); // and the rating of the test above
    expect(trained.matcher.learnedCount).toBe(rows.filter((r) => r.rating === 1).length);
    expect(trained.matcher.search('宝贝啥时候能从仓库出门呢').candidates[0]?.id).toBe(shipping.id);
    expect(trained.matcher.search('今天天气怎么样').band).not.toBe('answer');
  }, 60_000);
});
