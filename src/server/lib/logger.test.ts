/** Readable logs (defect 15): pretty lines on a terminal, JSON otherwise; requests at debug unless slow or failed. */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { engines, testApp, testPassword, type TestApp } from '../testing/harness.ts';
import { createLogger, defaultDestination } from './logger.ts';

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe('logs', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('writes JSON when stdout is not a terminal, and readable lines when it is', () => {
    expect(defaultDestination(false)).toBeUndefined();
    const out = sink();
    createLogger('info', defaultDestination(true, out.stream)).info({ roles: ['web'] }, 'kefu started');
    const text = out.lines.join('');
    expect(text).toMatch(/INFO.*kefu started/);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('logs ordinary requests at debug only, and slow ones as warnings at info', async () => {
    // Ordinary: a request under the threshold leaves no line at info.
    const out = sink();
    t = await testApp('sqlite', { log: createLogger('info', out.stream), config: { slowRequestMs: 1000 } });
    await t.app.inject({ method: 'GET', url: '/livez' });
    expect(out.lines.filter((l) => l.includes('"url":"/livez"'))).toEqual([]);
    await t.close();
    // Slow: a sign-in hashes a password (argon2id, 19 MiB, t=2), far over a 1 ms threshold.
    const slowOut = sink();
    t = await testApp('sqlite', { log: createLogger('info', slowOut.stream), config: { slowRequestMs: 1 } });
    const { owner } = await t.workspace('logs');
    await t.signIn(owner.actor.email, testPassword);
    const slow = slowOut.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'slow request');
    expect(slow.find((l) => l.req.url === '/api/auth/login')).toMatchObject({
      level: 40,
      req: { url: '/api/auth/login' },
      res: { statusCode: 200 },
    });
  });

  it('logs every request at debug', async () => {
    const out = sink();
    t = await testApp('sqlite', { log: createLogger('debug', out.stream) });
    await t.app.inject({ method: 'GET', url: '/livez' });
    const done = out.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(done).toContainEqual(
      expect.objectContaining({ level: 20, req: expect.objectContaining({ url: '/livez' }) }),
    );
  });
});

describe.each(engines)('a failed request (%s)', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it('is logged at error, with its status, at the default level (info)', async () => {
    const out = sink();
    t = await testApp(engine, { log: createLogger('info', out.stream) });
    const { owner } = await t.workspace('failed');
    // A real failure: the table the route reads is gone (put back before the database is reused).
    await sql`alter table canned_replies rename to canned_replies_away`.execute(t.s.db);
    try {
      const res = await owner.get('/api/canned-replies');
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('internal');
    } finally {
      await sql`alter table canned_replies_away rename to canned_replies`.execute(t.s.db);
    }
    const lines = out.lines.map((l) => JSON.parse(l));
    const failed = lines.filter((l) => l.msg === 'request failed');
    expect(failed).toEqual([
      expect.objectContaining({
        level: 50,
        req: expect.objectContaining({ method: 'GET', url: '/api/canned-replies' }),
        res: { statusCode: 500 },
      }),
    ]);
    // Not also (or instead) as a warning or a completed request.
    expect(lines.filter((l) => l.req?.url === '/api/canned-replies' && l.level < 50)).toEqual([]);
  });
});
