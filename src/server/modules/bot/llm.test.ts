/**
 * The optional LLM on both engines, against a local fake OpenAI-compatible server: settings (the
 * key sealed, never returned), the SSRF guard, re-ranking that changes the answer, phrasing kept
 * to the entry, fallbacks (hang, garbage, HTTP error) within the time limit, PII masked before
 * anything leaves, and the reachability gauge.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { splitButtons } from '../../../shared/bot-buttons.ts';
import { defaultBotSettings } from '../../../shared/bot-api.ts';
import { parseAllowList } from '../../lib/outbound.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { conversationForCustomer, postMessage } from '../conversations/index.ts';
import { seedKnowledge } from '../knowledge/index.ts';
import { askLlm } from './llm.ts';
import { startFakeOpenAi, type FakeOpenAi } from './llm.fake-openai.ts';

const key = 'sk-test-0123456789abcdef';
const question = '下单后多久发货';

describe.each(engines)('the bot with an LLM on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let agent: Client;
  let wsId: string;
  let fake: FakeOpenAi;
  let offline: { answer: string; top: string };

  const tryIt = async (text: string) => (await agent.get(`/api/bot/try?text=${encodeURIComponent(text)}`)).json();
  const save = (body: Record<string, unknown>) => owner.request({ method: 'PUT', url: '/api/bot/llm', payload: body });
  const settings = (over: Record<string, unknown> = {}) => ({
    enabled: true,
    baseUrl: fake.url,
    model: 'fake-model',
    timeoutMs: 3000,
    phrase: false,
    ...over,
  });

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // The fake listens on loopback: this installation allows it, as an intranet LLM would be.
    t = await testApp(engine, { config: { outboundAllowList: '127.0.0.1' } });
    const ws = await t.workspace('llm');
    owner = ws.owner;
    wsId = ws.id;
    agent = await t.user(ws.id, 'agent');
    await seedKnowledge(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
    const r = await tryIt(question);
    offline = { answer: r.answer, top: r.candidates[0].question };
    expect(r.band).toBe('answer');
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.received.length = 0;
  });

  it('sends nothing until configured; stores the key sealed and never returns it', async () => {
    expect((await owner.get('/api/bot/llm')).json()).toMatchObject({
      configured: false,
      enabled: false,
      keySet: false,
    });
    await tryIt(question);
    expect(fake.received).toHaveLength(0);
    expect((await agent.request({ method: 'PUT', url: '/api/bot/llm', payload: settings() })).statusCode).toBe(403);
    const put = await save(settings({ apiKey: key, enabled: false }));
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain(key);
    expect(put.json()).toMatchObject({ configured: true, enabled: false, keySet: true, model: 'fake-model' });
    const row = await allTables(t.s)
      .selectFrom('bot_llm_settings')
      .selectAll()
      .where('workspace_id', '=', wsId)
      .executeTakeFirstOrThrow();
    expect(row.api_key_enc).toBeTruthy();
    expect(row.api_key_enc).not.toContain(key);
    expect(t.s.cipher.decrypt(row.api_key_enc!)).toBe(key);
    const events = await allTables(t.s)
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'bot.llm_saved')
      .execute();
    expect(JSON.stringify(events)).not.toContain(key);
    // Off: still nothing is sent.
    await tryIt(question);
    expect(fake.received).toHaveLength(0);
    // Saving without a key keeps the stored one.
    expect((await save(settings())).json()).toMatchObject({ enabled: true, keySet: true });
  });

  it('refuses endpoints on private addresses the installation does not allow, and bad input', async () => {
    for (const baseUrl of [
      'http://10.1.2.3/v1',
      'http://192.168.0.10:8080/v1',
      'http://[::1]:9/v1',
      'http://169.254.169.254/v1',
    ]) {
      const r = await save(settings({ baseUrl }));
      expect(r.statusCode, baseUrl).toBe(400);
      expect(r.json().error.code, baseUrl).toBe('outbound_blocked');
    }
    for (const bad of [
      settings({ baseUrl: 'ftp://example.com/v1' }),
      settings({ baseUrl: 'https://example.com/v1?x=1' }),
      settings({ model: '' }),
      settings({ timeoutMs: 100 }),
      { ...settings(), extra: 1 },
    ])
      expect((await save(bad)).statusCode, JSON.stringify(bad)).toBe(400);
    // The guard at request time: loopback without an allow list is refused before connecting.
    await expect(
      askLlm({ baseUrl: fake.url, model: 'm', apiKey: null, timeoutMs: 1000, phrase: false }, parseAllowList(''), 'x', [
        { question: 'q', answer: 'a' },
      ]),
    ).rejects.toMatchObject({ kind: 'error', message: expect.stringMatching(/private address/) });
    expect(fake.received).toHaveLength(0);
  });

  it('re-ranks: the entry the LLM picks is the answer, sent with the key to /chat/completions', async () => {
    await save(settings());
    fake.mode = { kind: 'answer', reply: (ask) => ({ choice: ask.entries.length }) };
    const r = await tryIt(question);
    expect(fake.received).toHaveLength(1);
    const req = fake.received[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${key}`);
    const sent = JSON.parse(req.body);
    expect(sent.model).toBe('fake-model');
    const ask = JSON.parse(sent.messages[1].content);
    const picked = ask.entries[ask.entries.length - 1];
    expect(picked.question).not.toBe(offline.top);
    expect(r.band).toBe('answer');
    expect(r.candidates[0].question).toBe(picked.question);
    expect(r.answer).not.toBe(offline.answer);
    expect(r.refinedBy).toEqual(['llm']);
    // "None fits" lowers a confident answer to suggestions.
    fake.mode = { kind: 'answer', reply: () => ({ choice: 0 }) };
    expect((await tryIt(question)).band).toBe('suggest');
  });

  it('phrases answers strictly from the chosen entry (invented numbers or links are refused)', async () => {
    await save(settings({ phrase: true }));
    fake.mode = { kind: 'answer', reply: () => ({ choice: 1, answer: '亲，您的订单付款后很快就会发出哦～' }) };
    expect((await tryIt(question)).answer).toBe('亲，您的订单付款后很快就会发出哦～');
    for (const answer of [
      '付款后 2 小时内发货',
      '详见 https://evil.example.com/',
      '您的订单 <ORDER_NO> 已发货',
      '',
      '好'.repeat(3000),
    ]) {
      fake.mode = { kind: 'answer', reply: () => ({ choice: 1, answer }) };
      expect((await tryIt(question)).answer, answer.slice(0, 40)).toBe(offline.answer);
    }
    await save(settings());
  });

  it('falls back to the offline answer on a hang (within the time limit), garbage and HTTP errors', async () => {
    await save(settings({ timeoutMs: 600 }));
    fake.mode = { kind: 'hang' };
    const t0 = Date.now();
    const hung = await tryIt(question);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(hung).toMatchObject({ band: 'answer', answer: offline.answer, refinedBy: [] });
    const status = (await owner.get('/api/bot/llm')).json().status;
    expect(status).toMatchObject({ up: false, lastError: expect.stringMatching(/600 ms/) });
    expect(await t.s.metrics.getSingleMetricAsString('kefu_bot_llm_up')).toMatch(/kefu_bot_llm_up 0/);
    expect(await t.s.metrics.getSingleMetricAsString('kefu_bot_llm_requests_total')).toMatch(
      /outcome="timeout"} [1-9]/,
    );
    await save(settings());
    for (const mode of [
      { kind: 'content', content: 'I think entry 2 is best!' },
      { kind: 'content', content: '{"choice": "two"}' },
      { kind: 'content', content: '{"choice": 99}' },
      { kind: 'raw', status: 200, body: '<html>not json</html>' },
      { kind: 'raw', status: 200, body: '{"choices": []}' },
      { kind: 'raw', status: 500, body: '{"error": "overloaded"}' },
      { kind: 'raw', status: 401, body: '{"error": "bad key"}' },
    ] as const) {
      fake.mode = mode;
      const r = await tryIt(question);
      expect(r, JSON.stringify(mode)).toMatchObject({ band: 'answer', answer: offline.answer });
    }
    expect(await t.s.metrics.getSingleMetricAsString('kefu_bot_llm_requests_total')).toMatch(
      /outcome="garbage"} [1-9]/,
    );
    // Reachable again: the gauge and the status line recover; the console's test button says so.
    fake.mode = { kind: 'answer', reply: () => ({ choice: 1 }) };
    const tested = (await owner.post('/api/bot/llm/test')).json();
    expect(tested).toMatchObject({ ok: true, choice: 1 });
    expect(await t.s.metrics.getSingleMetricAsString('kefu_bot_llm_up')).toMatch(/kefu_bot_llm_up 1/);
  });

  it('masks personal data before it leaves: nothing of it reaches the LLM', async () => {
    await save(settings());
    fake.mode = { kind: 'answer', reply: () => ({ choice: 1 }) };
    const pii = [
      '13812345678',
      'zhang.san@example.com',
      '11010519491231002X',
      '文三路90号',
      'DD20261203001',
      '0571-88881234',
    ];
    const text = `我手机13812345678，邮箱zhang.san@example.com，身份证11010519491231002X，地址浙江省杭州市西湖区文三路90号，座机0571-88881234，订单DD20261203001什么时候发货`;
    await tryIt(text);
    // And through a conversation, as a shopper writes it.
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    await owner.request({ method: 'PUT', url: `/api/bot/inboxes/${inbox.id}`, payload: defaultBotSettings() });
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: { visitorId: 'visitor-llm-test-abcdefgh', origin: 'https://shop.example.com' },
      })
    ).json();
    const conv = (await conversationForCustomer(t.s, wsId, inbox.id, session.customerId, true))!;
    const before = fake.received.length;
    await postMessage(t.s, { type: 'customer', id: session.customerId, name: null, workspaceId: wsId }, conv.id, {
      clientId: 'c-llm-1',
      kind: 'text',
      body: '我的邮箱是 zhang.san@example.com，手机 13812345678，下单后多久发货？',
    });
    await expect.poll(() => fake.received.length, { timeout: 10_000 }).toBeGreaterThan(before);
    const bodies = fake.received.map((r) => r.body).join('\n');
    for (const v of pii) expect(bodies, v).not.toContain(v);
    expect(bodies).toContain('<PHONE>');
    expect(bodies).toContain('<EMAIL>');
    expect(bodies).toContain('<ID_NUMBER>');
    expect(bodies).toContain('<ADDRESS>');
    expect(bodies).toContain('<ORDER_NO>');
    // The shopper got the knowledge-base answer (the LLM agreed with the engine).
    await expect
      .poll(
        async () => {
          const items = (await agent.get(`/api/conversations/${conv.id}/messages`)).json().items as {
            sender: { type: string };
            body: string;
          }[];
          return items.filter((m) => m.sender.type === 'bot').map((m) => splitButtons(m.body).text)[0] ?? null;
        },
        { timeout: 10_000 },
      )
      .toBe(offline.answer);
  });
});
