/**
 * Writes stopped for a restore over live data: while the row is there a server answers every API
 * write with 503 `writes_stopped` (reads go on), refuses chat sends over /ws, and its job worker
 * claims nothing; once it is gone, writes and jobs resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../lib/jobs/queue.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { connect } from '../../testing/ws-client.ts';
import { resumeWrites, stopWrites, writesStopped } from './write-stop.ts';

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, limitMs = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - t0 > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(engines)('writes stopped on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let base: string;
  beforeAll(async () => {
    t = await testApp(engine);
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    ({ owner } = await t.workspace('shop'));
  });
  afterAll(async () => t?.close());

  it('refuses writes with 503 and a reason, keeps reads, pauses jobs; resumes when the stop is gone', async () => {
    let n = 0;
    const label = () => owner.post('/api/conversation-labels', { name: `VIP ${++n}`, color: 'orange' });
    expect((await label()).statusCode).toBe(200);
    const shopSocket = await connect(`${base}/ws`, { cookie: owner.cookie });
    await shopSocket.next((f) => f.t === 'welcome');
    const handled: string[] = [];
    const worker = new JobWorker({
      db: t.s.db,
      clock: t.s.clock,
      log: t.s.log,
      pollMs: 50,
      paused: async () => !!(await writesStopped(t.s)),
    });
    worker.register('test.write_stop', async (job) => void handled.push(job.id));
    try {
      await stopWrites(t.s.db, 'backup b1 is being restored over this data', new Date('2026-12-06T08:00:00Z'));
      const refused = await until('a write refused', label, (r) => r.statusCode === 503);
      expect(refused.json().error).toMatchObject({
        code: 'writes_stopped',
        message: expect.stringContaining('backup b1 is being restored over this data'),
      });
      expect(refused.headers['retry-after']).toBe('60');
      // Anonymous writes too (refused before authentication), and reads still work.
      const anon = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: {} });
      expect([anon.statusCode, anon.json().error.code]).toEqual([503, 'writes_stopped']);
      expect((await owner.get('/api/conversation-labels')).statusCode).toBe(200);

      shopSocket.send({ t: 'send', cid: 'x1', conv: 'cnv_missing', body: 'hello' });
      const err = await shopSocket.next((f) => f.t === 'error');
      expect(err).toMatchObject({ code: 'writes_stopped', cid: 'x1' });

      const jobId = await enqueue(t.s.db, t.s.clock, { type: 'test.write_stop' });
      expect(await worker.tick()).toBe(0);
      expect(handled).toEqual([]);

      await resumeWrites(t.s.db);
      expect((await until('writes again', label, (r) => r.statusCode !== 503)).statusCode).toBe(200);
      expect(await worker.tick()).toBeGreaterThanOrEqual(1);
      expect(handled).toContain(jobId);
    } finally {
      await resumeWrites(t.s.db);
      shopSocket.close();
    }
  });
});
