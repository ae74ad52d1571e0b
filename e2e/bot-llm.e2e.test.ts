/**
 * The bot's optional LLM in the console, in a real browser against the real server: an admin fills
 * in an OpenAI-compatible endpoint (a local fake, allowed through the installation's outbound
 * allow list as an intranet LLM would be), tests it, and the "try it" box shows the LLM's
 * re-ranking; the shopper-like text reaches the fake with personal data masked. Desktop and phone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFakeOpenAi, type FakeOpenAi } from '../src/server/modules/bot/llm.fake-openai.ts';
import { call, describeWithBrowser, screenshot, useDesk } from './support.ts';

const wait = { timeout: 30_000 };

describeWithBrowser('the bot with an LLM, configured in the console', () => {
  // The LLM is on loopback here: the installation allows it (as it would an intranet endpoint).
  const desk = useDesk({ signIn: 'form', env: { KEFU_OUTBOUND_ALLOW_LIST: '127.0.0.1' } });
  let fake: FakeOpenAi;
  let page: Page;

  beforeAll(async () => {
    page = desk.page;
    fake = await startFakeOpenAi();
    for (const e of [
      { question: '什么时候发货？', similar: ['下单后多久发货'], answer: '现货商品在付款后 24 小时内发货。' },
      { question: '退款多久到账？', similar: ['钱什么时候退回来'], answer: '审核通过后 1–3 个工作日原路退回。' },
      { question: '怎么开发票？', similar: ['发票在哪里开'], answer: '在「我的订单-申请开票」中填写抬头即可。' },
    ])
      await call(page, 'POST', '/api/knowledge/entries', e);
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('is set up and tested in the knowledge page, and re-ranks the try-it answer with PII masked', async () => {
    await page.goto('/knowledge');
    const card = page.getByTestId('llm-settings');
    await card.waitFor(wait);
    await card.getByLabel(/启用大模型|Use the LLM/).click();
    await card.getByLabel(/接口地址|Base URL/).fill(fake.url);
    await card.getByLabel(/^(模型|Model)$/).fill('fake-model');
    await card.getByLabel(/API 密钥|API key/).fill('sk-e2e-secret-key-123456');
    await card.getByRole('button', { name: /保\s*存|Save/ }).click();
    await card.getByText(/已保存密钥|A key is stored/).waitFor(wait);
    fake.mode = { kind: 'answer', reply: (ask) => ({ choice: ask.entries.length }) };
    await card.getByRole('button', { name: /测试连接|Test/ }).click();
    await card.getByText(/可连通|Reachable/).waitFor(wait);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'knowledge-llm-settings');

    const box = page.getByTestId('try-card');
    await box.getByRole('searchbox').fill('我手机13812345678，下单后多久发货');
    await box.getByRole('button', { name: /提\s*问/ }).click();
    await page.getByTestId('try-result').waitFor(wait);
    await page.getByText(/大模型已重排|Re-ranked by the LLM/).waitFor(wait);
    const bodies = fake.received.map((r) => r.body).join('\n');
    expect(bodies).not.toContain('13812345678');
    expect(bodies).toContain('<PHONE>');
    expect(fake.received.every((r) => r.headers.authorization === 'Bearer sk-e2e-secret-key-123456')).toBe(true);
    await box.scrollIntoViewIfNeeded();
    await screenshot(page, 'knowledge-try-it-llm');
    // The key never comes back to the browser.
    expect(await (await page.request.get('/api/bot/llm')).text()).not.toContain('sk-e2e-secret-key-123456');
    expect(desk.session.problems).toEqual([]);
  }, 120_000);

  it('fits a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/knowledge');
    const card = page.getByTestId('llm-settings');
    await card.waitFor(wait);
    await card.scrollIntoViewIfNeeded();
    const box = await card.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'knowledge-llm-settings-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 60_000);
});
