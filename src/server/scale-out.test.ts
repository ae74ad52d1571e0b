/**
 * Two nodes on one PostgreSQL and one Redis, as behind a load balancer: a session opened on one
 * works on the other, events cross nodes over the Redis bus, and sign-in rate limits are shared.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { FastifyInstance } from 'fastify';
import { eventsChannel, type DomainEvent } from './lib/events.ts';
import { createLogger } from './lib/logger.ts';
import { closeServices, createServices, prepare } from './services.ts';
import { pgUrl, redisUrl, testEnv, testPassword, type TestEnv } from './testing/harness.ts';
import { createWorkspaceWithOwner } from './modules/users/index.ts';

const ready = Boolean(pgUrl && redisUrl);
/**
 * A client address of its own for each sign-in test: the limits live in Redis, shared with every
 * other test (and test run) using it at the same moment, and kept for a minute.
 */
const freshIp = () => `10.${[...randomBytes(3)].join('.')}`;
if (!ready)
  console.warn('[kefu tests] scale-out suite skipped: it needs KEFU_TEST_DATABASE_URL and KEFU_TEST_REDIS_URL');

describe.runIf(ready)('two nodes on PostgreSQL + Redis', () => {
  let env: TestEnv;
  const nodes: { app: FastifyInstance; s: ReturnType<typeof createServices> }[] = [];

  beforeAll(async () => {
    env = await testEnv('postgres', { redisUrl, loginRatePerMinute: 4, secretKey: randomBytes(32).toString('hex') });
    for (let i = 0; i < 2; i++) {
      const s = createServices(env.config, { log: createLogger('silent'), pgSchema: env.pgSchema });
      await prepare(s); // both nodes migrate: the second finds nothing to do
      const app = await buildApp(s, { serveConsole: false });
      await app.ready();
      nodes.push({ app, s });
    }
    await createWorkspaceWithOwner(nodes[0].s, {
      name: 'Shop',
      slug: 'shop',
      timezone: 'Asia/Shanghai',
      defaultLanguage: 'zh-CN',
      admin: { email: 'owner@shop.example', name: 'Owner', password: testPassword },
    });
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.app.close();
      await closeServices(n.s);
    }
    await env?.cleanup();
  });

  it('a session opened on node A works on node B, and B sees A’s events through Redis', async () => {
    expect(nodes[1].s.bus.kind).toBe('redis');
    const received: DomainEvent[] = [];
    const unsubscribe = await nodes[1].s.bus.subscribe(eventsChannel, (m) => received.push(m as DomainEvent));
    const login = await nodes[0].app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: freshIp(),
      payload: { email: 'owner@shop.example', password: testPassword },
    });
    expect(login.statusCode).toBe(200);
    const cookie = `kefu_session=${login.cookies.find((c) => c.name === 'kefu_session')!.value}`;
    const renamed = await nodes[1].app.inject({
      method: 'PATCH',
      url: '/api/workspace',
      payload: { name: 'Renamed on B' },
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    });
    expect(renamed.json().name).toBe('Renamed on B');
    await expect.poll(() => received.map((e) => e.type)).toContain('user.logged_in');
    await unsubscribe();
  });

  it('shares the sign-in rate limit across nodes', async () => {
    const ip = freshIp();
    const attempt = (i: number) =>
      nodes[i % 2].app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: ip,
        payload: { email: 'nobody@x.example', password: 'wrong-password' },
      });
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await attempt(i)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
