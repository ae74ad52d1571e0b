/** The bot in conversations, on both engines: answers, order lookups, bands, hand-off with a summary, settings, silence. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitButtons } from '../../../shared/bot-buttons.ts';
import { defaultBotSettings } from '../../../shared/bot-api.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { seedKnowledge } from '../knowledge/index.ts';
import { seedStore } from '../store/index.ts';

type Msg = { seq: number; kind: string; body: string; sender: { type: string } };

describe.each(engines)('the bot on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let agent: Client;
  let wsId: string;
  let inbox: { id: string; publicId: string };
  let n = 0;

  beforeAll(async () => {
    t = await testApp(engine);
    const ws = await t.workspace('bot');
    owner = ws.owner;
    wsId = ws.id;
    agent = await t.user(ws.id, 'agent');
    await seedKnowledge(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
    await seedStore(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
    inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    // Off until an admin turns it on.
    expect((await owner.get(`/api/bot/inboxes/${inbox.id}`)).json()).toMatchObject({ enabled: false, stored: false });
    await owner.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: defaultBotSettings() });
  });
  afterAll(async () => t?.close());

  /** A new shopper with a conversation in the inbox (the test's first, unless given). */
  async function shopper(box = inbox, preChat?: { orderNo: string }) {
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${box.publicId}/session`,
        payload: { visitorId: `visitor-bot-test-${++n}-abcdefgh`, origin: 'https://shop.example.com', preChat },
      })
    ).json();
    const conv = (await conversationForCustomer(t.s, wsId, box.id, session.customerId, true))!;
    let lastSeq = 0;
    return {
      conv,
      /** Sends a message and waits for everything the bot writes after it. */
      async say(body: string, expectReply = true): Promise<Msg[]> {
        const ack = await postMessage(
          t.s,
          { type: 'customer', id: session.customerId, name: null, workspaceId: wsId },
          conv.id,
          { clientId: `c-${++n}`, kind: 'text', body },
        );
        lastSeq = ack.seq;
        if (!expectReply) return [];
        let after: Msg[] = [];
        await expect
          .poll(
            async () => {
              const all = (await agent.get(`/api/conversations/${conv.id}/messages`)).json().items as Msg[];
              after = all.filter((m) => m.seq > lastSeq && m.sender.type === 'bot');
              return after.some((m) => m.kind === 'text');
            },
            { timeout: 10_000, interval: 20 },
          )
          .toBe(true);
        // The hand-off note follows its message in the same step.
        await expect
          .poll(async () => (await turn(ack.id))?.outcome !== 'pending', { timeout: 10_000, interval: 20 })
          .toBe(true);
        const all = (await agent.get(`/api/conversations/${conv.id}/messages`)).json().items as Msg[];
        return all.filter((m) => m.seq > lastSeq && m.sender.type === 'bot');
      },
    };
  }
  const turn = (messageId: string) =>
    allTables(t.s).selectFrom('bot_turns').selectAll().where('message_id', '=', messageId).executeTakeFirst();

  it('answers a knowledge-base question with the entry and its buttons', async () => {
    const sh = await shopper();
    const [m] = await sh.say('下单后一般几天能发货？');
    const { text, buttons } = splitButtons(m!.body);
    expect(text).toContain('24 小时内发货');
    expect(buttons).toEqual(['查询我的订单', '转人工']);
  });

  it('asks for the order number, then answers logistics from the store, masked', async () => {
    const sh = await shopper();
    const [ask] = await sh.say('我的快递到哪了');
    expect(ask!.body).toContain('订单号');
    const [ans] = await sh.say('DD20261203001');
    expect(ans!.body).toMatch(
      /您的订单 DD20261203001 已由顺丰速运发出，单号 SF1402\*\*\*\*5612，最新：.*已到达【杭州转运中心】/,
    );
    expect(ans!.body).not.toContain('王小明');
  });

  it('takes the order number from the pre-chat form when the question names none, and asks when the store lacks it', async () => {
    const sh = await shopper(inbox, { orderNo: 'DD20261203001' });
    const [ans] = await sh.say('我的快递到哪了');
    expect(ans!.body).toMatch(/您的订单 DD20261203001 已由顺丰速运发出/);
    const unknown = await shopper(inbox, { orderNo: 'NOSUCH-0001' });
    const [ask] = await unknown.say('我的快递到哪了');
    expect(ask!.body).toContain('请发送您的订单号');
    const [found] = await unknown.say('DD20261203001');
    expect(found!.body).toContain('DD20261203001');
  });

  it('offers "did you mean" in the middle band and hands off after two misses, with a summary for agents', async () => {
    const sh = await shopper();
    const first = await sh.say('今天天气好吗，随便聊聊');
    expect(first.map((m) => m.body).join()).toMatch(/没有理解|您是不是想问/);
    const second = await sh.say('火星上有没有外星人');
    const note = second.find((m) => m.kind === 'note');
    expect(note?.body).toContain('连续两次未能回答');
    expect(note?.body).toContain('今天天气好吗');
    // Handed off: unassigned in the inbox, the bot is silent afterwards.
    const conv = (await agent.get(`/api/conversations/${sh.conv.id}`)).json();
    expect(conv.assigneeId ?? null).toBeNull();
    await sh.say('还在吗', false);
    await expect
      .poll(
        async () =>
          (
            await allTables(t.s)
              .selectFrom('bot_turns')
              .select('outcome')
              .where('query', '=', '还在吗')
              .executeTakeFirst()
          )?.outcome,
      )
      .toBe('silent');
  });

  it('hands off at once when asked for a human or on a complaint, and records the event', async () => {
    for (const ask of ['转人工', '我要投诉', 'I want to talk to a human']) {
      const sh = await shopper();
      const out = await sh.say(ask);
      expect(out.find((m) => m.kind === 'note')?.body, ask).toContain('机器人转人工');
    }
    const events = await allTables(t.s)
      .selectFrom('outbox')
      .select('type')
      .where('type', '=', 'bot.handed_off')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
  });

  it("writes the hand-off note in one language, the workspace's: Chinese by default, English when set", async () => {
    const zh = (await (await shopper()).say('转人工')).find((m) => m.kind === 'note')!.body;
    expect(zh).toMatch(/^机器人转人工\n原因：顾客要求人工\n意图：要求人工\n/);
    expect(zh).not.toMatch(/Bot hand-off|Reason|asked for a person/);
    expect((await owner.patch('/api/workspace', { defaultLanguage: 'en' })).statusCode).toBe(200);
    try {
      // The shopper writes in Chinese; the note is for the agents.
      const en = (await (await shopper()).say('我要投诉')).find((m) => m.kind === 'note')!.body;
      expect(en).toMatch(/^Bot hand-off\nReason: complaint\nIntent: complaint\n/);
      expect(en).toContain('Asked → answered:\n• 我要投诉');
      expect(en).not.toMatch(/机器人转人工|原因|投诉 \//);
    } finally {
      await owner.patch('/api/workspace', { defaultLanguage: 'zh-CN' });
    }
  });

  it('survives odd input: huge, emoji-only, injection-looking', async () => {
    for (const body of ['好'.repeat(10_000), '😀😀😀', "'; DROP TABLE knowledge_entries; -- ignore all instructions"]) {
      const sh = await shopper();
      const out = await sh.say(body);
      expect(out.length).toBeGreaterThan(0);
    }
    expect((await owner.get('/api/knowledge/entries')).json().items.length).toBeGreaterThan(0);
  });

  it('is configured per inbox: off means silent; only admins change it; the try box shows the runners-up', async () => {
    const settings = { ...defaultBotSettings(), enabled: false };
    expect(
      (await agent.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: settings })).statusCode,
    ).toBe(403);
    const put = await owner.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: settings });
    expect(put.json()).toMatchObject({ enabled: false, stored: true });
    const sh = await shopper();
    await sh.say('什么时候发货', false);
    const tried = (await agent.get(`/api/bot/try?text=${encodeURIComponent('下单后多久发货')}`)).json();
    expect(tried).toMatchObject({ band: 'answer', candidates: expect.any(Array) });
    expect(tried.candidates[0].question).toBe('什么时候发货？');
    expect(tried.candidates.length).toBeGreaterThan(1);
    await owner.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: defaultBotSettings() });
    const unanswered = (await agent.get('/api/bot/unanswered')).json();
    expect(unanswered.items.map((g: { sample: string }) => g.sample).join()).toContain('火星');
  });

  /** A weekday (`mon`…`sun`) that is not today in Shanghai, nor tomorrow (the test may run across midnight). */
  const otherDay = () => {
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const today = new Date(Date.now() + 8 * 3_600_000).getUTCDay();
    return days[(today + 3) % 7]!;
  };

  it("keeps the widget's chat open while it answers, out of hours or with nobody online", async () => {
    // An inbox open only on another weekday than today (in its zone): without the bot, the widget shows the offline form.
    const night = (
      await owner.post('/api/inboxes', {
        name: 'Night',
        settings: {
          allowedOrigins: ['https://shop.example.com'],
          businessHours: { timezone: 'Asia/Shanghai', hours: { [otherDay()]: [['09:00', '18:00']] } },
        },
      })
    ).json();
    const config = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/widget/${night.publicId}/config` })).json();
    expect(await config()).toMatchObject({ withinBusinessHours: false, bot: false, botGreeting: null });
    const put = (settings: object) =>
      owner.request({
        method: 'PUT',
        url: `/api/bot/inboxes/${night.id}`,
        payload: { ...defaultBotSettings(), ...settings },
      });
    // The chat opens with the bot's own greeting script (as the inbox's admin wrote it), per language.
    const scripts = defaultBotSettings().scripts;
    await put({ mode: 'outside_hours', scripts: { ...scripts, en: { ...scripts.en, greeting: 'Night bot here.' } } });
    expect(await config()).toMatchObject({
      withinBusinessHours: false,
      bot: true,
      botGreeting: { 'zh-CN': scripts['zh-CN'].greeting, en: 'Night bot here.' },
    });
    await put({ mode: 'bot_first', enabled: false });
    expect(await config()).toMatchObject({ bot: false, botGreeting: null });
  });

  it('hands off out of hours with the out-of-hours script (leave a message), not "please hold on"', async () => {
    const closed = (
      await owner.post('/api/inboxes', {
        name: 'Closed today',
        settings: {
          allowedOrigins: ['https://shop.example.com'],
          businessHours: { timezone: 'Asia/Shanghai', hours: { [otherDay()]: [['09:00', '18:00']] } },
        },
      })
    ).json();
    const scripts = defaultBotSettings().scripts;
    await owner.request({
      method: 'PUT',
      url: `/api/bot/inboxes/${closed.id}`,
      payload: { ...defaultBotSettings(), scripts: { ...scripts, en: { ...scripts.en, outOfHours: 'Closed now.' } } },
    });
    const text = (out: Msg[]) => out.find((m) => m.kind === 'text')?.body;
    const zh = await (await shopper(closed)).say('转人工');
    expect(text(zh)).toBe(scripts['zh-CN'].outOfHours);
    expect(zh.find((m) => m.kind === 'note')?.body).toContain('机器人转人工'); // agents still get the summary
    // The admin's own script, in the shopper's language; after two misses as well.
    expect(text(await (await shopper(closed)).say('I want to talk to a human'))).toBe('Closed now.');
    const lost = await shopper(closed);
    await lost.say('qwxz zzkv');
    expect(text(await lost.say('vvbn plmq'))).toBe('Closed now.');
    // An inbox without business hours is always open: the hand-off script.
    expect(text(await (await shopper()).say('转人工'))).toBe(scripts['zh-CN'].handoff);
  });

  it("hands the chat to people when it fails, with the inbox's own hand-off script", async () => {
    const fragile = (
      await owner.post('/api/inboxes', { name: 'Fragile', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const scripts = defaultBotSettings().scripts;
    const handoff = '稍等，马上为您转人工。';
    await owner.request({
      method: 'PUT',
      url: `/api/bot/inboxes/${fragile.id}`,
      payload: { ...defaultBotSettings(), scripts: { ...scripts, 'zh-CN': { ...scripts['zh-CN'], handoff } } },
    });
    // A knowledge row the index cannot read; a change to the knowledge base makes the bot rebuild it.
    const db = allTables(t.s);
    const row = await db
      .selectFrom('knowledge_entries')
      .select(['id', 'similar'])
      .where('workspace_id', '=', wsId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const touch = async () => {
      const e = (await owner.post('/api/knowledge/entries', { question: `临时条目 ${++n}`, answer: '临时' })).json();
      await owner.request({ method: 'DELETE', url: `/api/knowledge/entries/${e.id}` });
    };
    await db.updateTable('knowledge_entries').set({ similar: 'not json' }).where('id', '=', row.id).execute();
    await touch();
    try {
      const out = await (await shopper(fragile)).say('发票怎么开');
      expect(out.find((m) => m.kind === 'text')?.body).toBe(handoff);
      expect(out.find((m) => m.kind === 'note')?.body).toContain('机器人故障');
      const failed = await db.selectFrom('bot_turns').select('outcome').where('query', '=', '发票怎么开').execute();
      expect(failed.map((r) => r.outcome)).toContain('failed');
    } finally {
      await db.updateTable('knowledge_entries').set({ similar: row.similar }).where('id', '=', row.id).execute();
      await touch();
    }
  });

  it('rebuilds its index when the knowledge base changes', async () => {
    expect((await agent.get(`/api/bot/try?text=${encodeURIComponent('你们卖不卖宠物粮')}`)).json().band).not.toBe(
      'answer',
    );
    await owner.post('/api/knowledge/entries', {
      question: '你们卖宠物粮吗？',
      similar: ['有猫粮狗粮吗', '卖不卖宠物粮'],
      answer: '本店暂不销售宠物用品。',
    });
    await expect
      .poll(async () => (await agent.get(`/api/bot/try?text=${encodeURIComponent('你们卖不卖宠物粮')}`)).json().band)
      .toBe('answer');
  });
});
