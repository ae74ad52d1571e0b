/**
 * Agents' corrections as training, on both engines: an agent links unanswered questions to the
 * entry that answers them (or replies in a handed-off conversation with an entry's answer), and
 * the next index build learns the (question → entry) pairs as it learns from shoppers' ratings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/knowledge-api.ts';
import { defaultBotSettings } from '../../../shared/bot-api.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { seedKnowledge } from '../knowledge/index.ts';
import { entryAnsweredBy } from './corrections.ts';
import { rerankFeatureNames } from './engine/features.ts';
import { buildIndex, minFeedback } from './knowledge-index.ts';

type Group = { sample: string; count: number; queries: string[]; messageIds: string[] };

describe.each(engines)('bot corrections on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let wsId: string;
  let inbox: { id: string; publicId: string };
  let entries: Entry[];
  let n = 0;

  beforeAll(async () => {
    t = await testApp(engine);
    const ws = await t.workspace('corrections');
    owner = ws.owner;
    wsId = ws.id;
    await seedKnowledge(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
    inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await owner.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: defaultBotSettings() });
    entries = [...(await buildIndex(t.s, wsId)).entries.values()];
  });
  afterAll(async () => t?.close());

  const turns = () => allTables(t.s).selectFrom('bot_turns').selectAll().where('workspace_id', '=', wsId);
  const shipping = () => entries.find((e) => e.question.includes('发货'))!;
  const invoice = () => entries.find((e) => e.question.includes('发票'))!;

  /** Unanswered questions as the bot records them (one conversation each, `minutesAgo` back). */
  async function unansweredTurns(queries: string[], outcome = 'missed', minutesAgo = 5) {
    const at = new Date(t.s.clock.now().getTime() - minutesAgo * 60_000).toISOString();
    const rows = queries.map((query) => ({
      message_id: `msg-${engine}-${++n}`,
      workspace_id: wsId,
      conversation_id: `conv-${engine}-${n}`,
      query,
      intent: null,
      entry_id: null,
      confidence: 0.1,
      outcome,
      reply_id: null,
      rating: null,
      created_at: at,
    }));
    await allTables(t.s).insertInto('bot_turns').values(rows).execute();
    return rows.map((r) => r.message_id);
  }

  it('links a group of unanswered questions to an entry; the list forgets them; bad links are refused', async () => {
    const ids = await unansweredTurns([
      '你们的发票能开电子版的吗',
      '你们的发票能开电子版的吗？',
      '发票能开电子版的吗亲',
    ]);
    const listed = () => owner.get('/api/bot/unanswered').then((r) => r.json().items as Group[]);
    const group = (await listed()).find((g) => g.sample.includes('电子版'))!;
    expect(group.count).toBe(3);
    expect([...group.messageIds].sort()).toEqual([...ids].sort());

    // Bad input, an unknown entry, someone else's (or an answered) question: refused, nothing linked.
    const link = (c: Client, payload: unknown) => c.post('/api/bot/unanswered/link', payload);
    expect((await link(owner, { messageIds: [], entryId: invoice().id })).statusCode).toBe(400);
    expect((await link(owner, { messageIds: ids })).statusCode).toBe(400);
    expect((await link(owner, { messageIds: ids, entryId: 'kb-nope' })).statusCode).toBe(404);
    expect((await link(owner, { messageIds: ['msg-of-nobody'], entryId: invoice().id })).statusCode).toBe(404);
    const other = await t.workspace('corrections-other');
    expect((await link(other.owner, { messageIds: ids, entryId: invoice().id })).statusCode).toBe(404);
    const agent = await t.user(wsId, 'agent');
    expect((await link(agent, { messageIds: ids, entryId: invoice().id })).statusCode).toBe(403);
    expect((await turns().where('corrected_entry_id', 'is not', null).execute()).length).toBe(0);

    const r = await link(owner, { messageIds: group.messageIds, entryId: invoice().id });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ linked: 3 });
    const rows = await turns().where('message_id', 'in', ids).execute();
    expect(rows.map((x) => [x.corrected_entry_id, x.correction, x.corrected_by])).toEqual(
      ids.map(() => [invoice().id, 'link', owner.actor.userId]),
    );
    expect((await listed()).find((g) => g.sample.includes('电子版'))).toBeUndefined();
  }, 60_000);

  it("records an agent's reply with an entry's answer in a handed-off conversation", async () => {
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-corrections-abcdefgh', origin: 'https://shop.example.com' },
      })
    ).json() as { customerId: string };
    const conv = (await conversationForCustomer(t.s, wsId, inbox.id, session.customerId, true))!;
    // The shopper asked something the bot missed (recorded a minute ago), then asked for a person.
    const question = '宝贝大概哪天能从仓库出门';
    await allTables(t.s)
      .insertInto('bot_turns')
      .values({
        message_id: `msg-${engine}-asked`,
        workspace_id: wsId,
        conversation_id: conv.id,
        query: question,
        intent: null,
        entry_id: null,
        confidence: 0.2,
        outcome: 'missed',
        reply_id: null,
        rating: null,
        created_at: new Date(t.s.clock.now().getTime() - 60_000).toISOString(),
      })
      .execute();
    const customer = { type: 'customer' as const, id: session.customerId, name: null, workspaceId: wsId };
    await postMessage(t.s, customer, conv.id, { clientId: 'c-human', kind: 'text', body: '转人工' });
    await expect
      .poll(
        async () =>
          (
            await allTables(t.s)
              .selectFrom('bot_sessions')
              .select('state')
              .where('conversation_id', '=', conv.id)
              .executeTakeFirst()
          )?.state,
        { timeout: 15_000, interval: 25 },
      )
      .toBe('handed_off');
    const say = (body: string) =>
      owner.post(`/api/conversations/${conv.id}/messages`, { clientId: `a-${++n}`, kind: 'text', body });
    // Small talk is no correction; the entry's answer (with a greeting around it) is.
    expect((await say('您好，我帮您查一下，请稍等')).statusCode).toBe(200);
    expect((await say(`亲，${shipping().answer} 还有其他问题吗？`)).statusCode).toBe(200);
    const asked = () => turns().where('message_id', '=', `msg-${engine}-asked`).executeTakeFirstOrThrow();
    await expect
      .poll(async () => (await asked()).corrected_entry_id, { timeout: 15_000, interval: 25 })
      .toBe(shipping().id);
    expect((await asked()).correction).toBe('agent_reply');
    // A later answer does not overwrite the first correction.
    expect((await say(invoice().answer)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await asked()).corrected_entry_id).toBe(shipping().id);
    // The request for a person was not taken for the question.
    const human = await turns().where('conversation_id', '=', conv.id).where('query', '=', '转人工').executeTakeFirst();
    expect(human?.corrected_entry_id ?? null).toBeNull();
  }, 60_000);

  it('an index build learns from corrections: the wording now finds its entry', async () => {
    const before = await buildIndex(t.s, wsId);
    const wording = '包裹啥时候能从你们仓库出门呀';
    const probe = '包裹什么时候从仓库出门';
    // The earlier tests' four corrections are too few to learn from.
    expect(before.feedback).toBe(0);
    expect(before.matcher.learnedCount).toBe(0);
    const ids = await unansweredTurns(
      Array.from({ length: minFeedback }, (_, i) => `${wording}${'？!～'[i % 3]}${i % 2 ? '亲' : ''}`),
      'handed_off',
    );
    const r = await owner.post('/api/bot/unanswered/link', { messageIds: ids, entryId: shipping().id });
    expect(r.statusCode, r.body).toBe(200);
    const trained = await buildIndex(t.s, wsId);
    expect(trained.feedback).toBe(minFeedback + 4);
    expect(trained.matcher.learnedCount).toBe(minFeedback + 4);
    const top = trained.matcher.search(probe).candidates[0]!;
    expect(top.id).toBe(shipping().id);
    expect(top.features[rerankFeatureNames.indexOf('learned')]).toBeGreaterThan(0); // it matches what it learned
    // Corrections are all right answers: the bot still hands off what the base does not cover.
    expect(trained.matcher.search('今天天气怎么样').band).not.toBe('answer');
  }, 60_000);
});

describe('which entry an agent reply gives', () => {
  const e = (id: string, answer: string) => ({ id, answer }) as Entry;
  const kb = [e('a', '下单后 48 小时内发货，预售商品以页面时间为准。'), e('b', '好的'), e('c', '下单后 48 小时内发货')];
  it('finds the entry whose whole answer the reply contains (the longest), or a trimmed part of it', () => {
    expect(entryAnsweredBy('亲，下单后48小时内发货，预售商品以页面时间为准。祝您购物愉快', kb)).toBe('a');
    expect(entryAnsweredBy('下单后 48 小时内发货', kb)).toBe('a');
    expect(entryAnsweredBy('好的', kb)).toBeNull();
    expect(entryAnsweredBy('我帮您查一下物流', kb)).toBeNull();
    expect(entryAnsweredBy('[[转人工]] <b>下单后 48 小时内发货</b>', [e('c', '下单后 48 小时内发货')])).toBe('c');
  });
});
