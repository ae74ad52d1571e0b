/**
 * The demo knowledge base's promotions run around the day the demo is seeded, so a fresh demo
 * always has some in force (fixed dates would have expired a year later, and with them what the
 * bot answers on a newcomer's first `npm start`), and they end as a real promotion does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { knowledgeBase, seedKnowledge } from './index.ts';

describe.each(engines)('the demo knowledge base on %s', (engine) => {
  const clock = manualClock('2031-03-15T04:00:00.000Z');
  let t: TestApp;
  let owner: Client;
  let wsId: string;

  beforeAll(async () => {
    t = await testApp(engine, { clock });
    const ws = await t.workspace('demo-kb');
    owner = ws.owner;
    wsId = ws.id;
    await seedKnowledge(t.s, { workspaceId: ws.id, ownerId: owner.actor.userId });
  });
  afterAll(async () => t?.close());

  const answered = async (text: string, as = owner) => {
    const r = (await as.get(`/api/bot/try?text=${encodeURIComponent(text)}`)).json();
    return r.band === 'answer' ? (r.candidates[0]?.question as string) : null;
  };

  it('has its promotions in force on the day it is seeded, whatever the year', async () => {
    const { entries } = await knowledgeBase(t.s, wsId);
    const promotions = entries.filter((e) => e.validFrom || e.validTo);
    expect(promotions.map((e) => e.question).sort()).toEqual([
      '买贵了可以价保吗？',
      '定金和尾款怎么付？',
      '满减活动怎么参加？',
    ]);
    for (const e of promotions) {
      expect(e.validFrom! <= '2031-03-15', e.question).toBe(true);
      expect(e.validTo! >= '2031-03-15', e.question).toBe(true);
    }
    expect(await answered('满减规则是什么')).toBe('满减活动怎么参加？');
  });

  it('stops answering a promotion once its window has passed', async () => {
    clock.set('2031-04-15T04:00:00.000Z');
    const reader = await t.user(wsId, 'agent'); // signed in now (the owner's session has expired)
    expect(await answered('满减规则是什么', reader)).not.toBe('满减活动怎么参加？');
    // Entries without a window answer as before.
    expect(await answered('衣服尺码怎么选', reader)).toBe('尺码怎么选？');
  });
});
