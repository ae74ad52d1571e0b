/**
 * Hot questions cluster onto enabled knowledge entries only, on both engines: the seeded month's
 * two return-address questions are labelled with the entry's standard question while it is
 * enabled, and with a shopper's own words once it is disabled (a disabled entry answers nobody).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { loadKnowledge } from './inputs.ts';
import { computeReport } from './service.ts';
import { seedMonth } from './testing.ts';

describe.each(engines)('knowledge entries of the hot questions on %s', (engine) => {
  let t: TestApp;
  let ws: string;
  let owner: Client;
  beforeAll(async () => {
    t = await testApp(engine, { clock: manualClock('2026-11-02T03:00:00Z') });
    const w = await t.workspace(`kb-hot-${engine}`);
    [ws, owner] = [w.id, w.owner];
    await seedMonth(t.s, ws, owner.actor.userId);
  }, 60_000);
  afterAll(() => t?.close());

  const hotLabels = async () => {
    const doc = await computeReport(t.s, ws, 'monthly-cs', '2026-10');
    const hot = doc.sections.find((s) => s.id === 'hot-questions')!;
    const table = hot.blocks.find((b) => b.kind === 'table');
    return table?.kind === 'table' ? table.rows.map((r) => [String(r[0]), String(r[1])]) : [];
  };

  it('clusters onto an enabled entry, and not onto it once it is disabled', async () => {
    const entry = { question: '退货地址在哪里', similar: ['退货地址是什么'], answer: '请寄到上海市。' };
    const kb = await owner.post('/api/knowledge/entries', entry);
    expect(kb.statusCode, kb.body).toBe(200);
    const id = kb.json().id as string;
    expect((await loadKnowledge(t.s.db, ws)).map((e) => e.id)).toEqual([id]);
    expect((await hotLabels())[0]).toEqual(['退货地址在哪里', '2']);

    const off = await owner.request({
      method: 'PUT',
      url: `/api/knowledge/entries/${id}`,
      payload: { ...entry, enabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(await loadKnowledge(t.s.db, ws)).toEqual([]);
    const labels = await hotLabels();
    expect(labels.map((r) => r[0])).not.toContain('退货地址在哪里');
    // The same two questions still cluster, now by their words, labelled with a shopper's question.
    expect(labels[0]![1]).toBe('2');
    expect(labels[0]![0]).toMatch(/退货地址/);
  }, 120_000);
});
