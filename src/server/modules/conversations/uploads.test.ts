/**
 * Uploads cannot fill the disk (issue #9, finding 8): rate limits per visitor, per IP and per
 * workspace; a storage quota per workspace with a clear 413; uploads never used by a message are
 * purged after a while (files and rows), those in use are kept.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { allSchedules, registerJobs } from '../../main.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { Scheduler } from '../../lib/jobs/scheduler.ts';
import { allTables, engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { multipart, png } from '../../testing/multipart.ts';

describe.each(engines)('uploads on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function setup(config: object = {}, clock = manualClock('2026-03-02T03:00:00Z')) {
    t = await testApp(engine, { clock, config });
    const { id, owner } = await t.workspace('shop');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    let n = 0;
    const shopper = async (ip = '127.0.0.1') =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/widget/${inbox.publicId}/session`,
          remoteAddress: ip,
          payload: { visitorId: `upload-visitor-${String(++n).padStart(8, '0')}`, origin: 'https://shop.example.com' },
        })
      ).json().token as string;
    return { wsId: id, owner, shopper, clock };
  }
  const upload = (who: { widget?: string; agent?: Client }, ip = '127.0.0.1', body: Buffer = png, name = 'a.png') => {
    const m = multipart(name, name.endsWith('.png') ? 'image/png' : 'text/plain', body);
    const headers = { ...m.headers, ...(who.widget ? { authorization: `Widget ${who.widget}` } : {}) };
    const opts = { method: 'POST' as const, url: '/api/uploads', payload: m.payload, headers, remoteAddress: ip };
    return who.agent ? who.agent.request(opts) : t.app.inject(opts);
  };
  const codes = async (calls: (() => Promise<{ statusCode: number }>)[]) => {
    const out: number[] = [];
    for (const c of calls) out.push((await c()).statusCode);
    return out;
  };

  it('limits uploads per visitor, per IP and per workspace', async () => {
    const { shopper } = await setup({
      uploadRatePerMinute: 3,
      uploadIpRatePerMinute: 4,
      uploadWorkspaceRatePerMinute: 8,
    });
    const a = await shopper();
    expect(await codes(Array.from({ length: 4 }, () => () => upload({ widget: a }, '10.0.0.1')))).toEqual([
      200, 200, 200, 429,
    ]);
    // Another visitor from the same address: that address has had its share (4, refused tries included).
    const b = await shopper();
    expect((await upload({ widget: b }, '10.0.0.1')).statusCode).toBe(429);
    expect((await upload({ widget: b }, '10.0.0.2')).statusCode).toBe(200);
    // Many visitors from many addresses: the workspace's own limit (8 a minute; refused tries count too).
    const others = await Promise.all([1, 2, 3].map(() => shopper()));
    expect(await codes(others.map((w, i) => () => upload({ widget: w }, `10.0.1.${i}`)))).toEqual([200, 200, 429]);
    const res = await upload({ widget: others[0] }, '10.0.2.1');
    expect(res.json().error.code).toBe('rate_limited');
  });

  it('refuses uploads beyond the workspace quota with 413 quota_exceeded, and keeps no file', async () => {
    const { owner, wsId } = await setup({ uploadQuotaMb: 1 });
    const big = Buffer.alloc(600 * 1024, 97);
    expect((await upload({ agent: owner }, '127.0.0.1', big, 'a.txt')).statusCode).toBe(200);
    const over = await upload({ agent: owner }, '127.0.0.1', big, 'b.txt');
    expect(over.statusCode).toBe(413);
    expect(over.json().error).toMatchObject({ code: 'quota_exceeded', message: expect.stringContaining('1 MiB') });
    expect(readdirSync(join(t.env.dataDir, 'attachments', wsId))).toHaveLength(1);
    expect((await upload({ agent: owner }, '127.0.0.1', png)).statusCode).toBe(200); // what still fits
  });

  it('purges uploads no message used after the set time, and keeps the used ones', async () => {
    const { owner, wsId, clock } = await setup({ uploadUnattachedHours: 24, sessionTtlHours: 48 });
    const used = (await upload({ agent: owner })).json();
    const unused = (await upload({ agent: owner })).json();
    const conv = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${(await owner.get('/api/inboxes')).json().items[0].publicId}/offline-message`,
        payload: { contact: 'x@example.com', body: 'hi' },
      })
    ).statusCode;
    expect(conv).toBe(200);
    const convId = (await owner.get('/api/conversations')).json().items[0].id;
    expect(
      (
        await owner.post(`/api/conversations/${convId}/messages`, {
          clientId: 'with-file',
          kind: 'image',
          attachments: [{ id: used.id }],
        })
      ).statusCode,
    ).toBe(200);
    const worker = new JobWorker({ db: t.s.db, clock, log: t.s.log, pollMs: 1000 });
    registerJobs(worker, t.s);
    const scheduler = new Scheduler({ db: t.s.db, clock, log: t.s.log });
    const purge = async () => {
      await scheduler.fire(
        allSchedules().find((x) => x.name === 'attachments.purge_unattached')!,
        clock.now(),
      );
      while ((await worker.tick()) > 0);
    };
    clock.advance(23 * 3600_000);
    await purge();
    expect(readdirSync(join(t.env.dataDir, 'attachments', wsId)).sort()).toEqual([used.id, unused.id].sort());
    clock.advance(2 * 3600_000);
    await purge();
    expect(readdirSync(join(t.env.dataDir, 'attachments', wsId))).toEqual([used.id]);
    const rows = await allTables(t.s).selectFrom('attachments').select('id').execute();
    expect(rows.map((r) => r.id)).toEqual([used.id]);
    // A message can no longer take it.
    const late = await owner.post(`/api/conversations/${convId}/messages`, {
      clientId: 'late',
      kind: 'image',
      attachments: [{ id: unused.id }],
    });
    expect(late.statusCode).toBe(400);
  });
});
