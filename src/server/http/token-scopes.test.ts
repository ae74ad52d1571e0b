/**
 * Class test (issue #9): every route that takes an API token honours its scopes, and the account
 * security routes refuse tokens altogether. Generated from the route table: for each permission a
 * route needs, a token holding everything else is refused (403) and a token holding just that one
 * gets through the guard; routes for any signed-in user take any token, unless they are session-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions, type Permission } from '../../shared/permissions.ts';
import { engines, testApp, testPassword, type Client, type TestApp } from '../testing/harness.ts';

/** The routes that must never take a token: password, two-step sign-in, tokens, switching workspace, a browser's push subscription. */
const sessionOnly = [
  'POST /api/auth/password',
  'POST /api/auth/totp/setup',
  'POST /api/auth/totp/enable',
  'POST /api/auth/totp/disable',
  'POST /api/auth/switch-workspace',
  'GET /api/tokens',
  'POST /api/tokens',
  'DELETE /api/tokens/:id',
  'POST /api/push/subscriptions',
  'POST /api/push/subscriptions/remove',
];

describe.each(engines)('API token scopes on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    t = await testApp(engine, { config: { loginRatePerMinute: 1000 } });
    owner = (await t.workspace('shop', { installationOwner: true })).owner;
    const grantable = permissions.filter((p) => p !== 'installation.manage');
    const make = async (name: string, scopes: Permission[]) => {
      const res = await owner.post('/api/tokens', { name, scopes, password: testPassword });
      expect(res.statusCode, res.body).toBe(200);
      tokens.set(name, res.json().secret);
    };
    await make('all', grantable);
    for (const p of grantable) {
      await make(`only ${p}`, [p]);
      await make(
        `all but ${p}`,
        grantable.filter((x) => x !== p),
      );
    }
  });
  afterAll(async () => t?.close());

  const call = (token: string, method: string, url: string) =>
    t.app.inject({
      method: method as 'GET',
      url: url.replace(':id', 'none').replace(':macroId', 'none').replace(':key', 'none'),
      payload: method === 'GET' || method === 'DELETE' ? undefined : {},
      headers: { authorization: `Bearer ${token}` },
    });

  it('marks exactly the account security routes session-only', () => {
    const marked = t.app.kefuRoutes.filter((r) => r.session).map((r) => `${r.method} ${r.url}`);
    expect(marked.sort()).toEqual([...sessionOnly].sort());
  });

  it('refuses tokens on the session-only routes, whatever their scopes', async () => {
    for (const key of sessionOnly) {
      const [method, url] = key.split(' ');
      const res = await call(tokens.get('all')!, method, url);
      expect([res.statusCode, res.json().error?.code], key).toEqual([403, 'session_required']);
    }
  });

  it('honours scopes on every other route', async () => {
    for (const r of t.app.kefuRoutes.filter((x) => x.auth !== 'public' && !x.session)) {
      const key = `${r.method} ${r.url}`;
      if (!r.permission) {
        // Any signed-in user: any token passes the guard (sign-out of a token is a no-op).
        const res = await call(tokens.get(`only users.read`)!, r.method, r.url);
        expect([401, 403], `${key} → ${res.statusCode}`).not.toContain(res.statusCode);
        continue;
      }
      if (r.permission === 'installation.manage') {
        // Never in a token: installation-wide actions need a person at the console.
        expect((await call(tokens.get('all')!, r.method, r.url)).statusCode, key).toBe(403);
        continue;
      }
      const without = await call(tokens.get(`all but ${r.permission}`)!, r.method, r.url);
      expect([without.statusCode, without.json().error?.code], `${key} without ${r.permission}`).toEqual([
        403,
        'forbidden',
      ]);
      const only = await call(tokens.get(`only ${r.permission}`)!, r.method, r.url);
      expect([401, 403], `${key} with only ${r.permission} → ${only.statusCode} ${only.body}`).not.toContain(
        only.statusCode,
      );
      expect(only.statusCode, key).toBeLessThan(500);
    }
  });

  it('honours scopes on uploads, which authenticate themselves', async () => {
    const upload = (token: string) =>
      t.app.inject({ method: 'POST', url: '/api/uploads', headers: { authorization: `Bearer ${token}` } });
    expect((await upload(tokens.get('all but conversations.manage')!)).statusCode).toBe(403);
    expect((await upload(tokens.get('only conversations.manage')!)).statusCode).toBe(400); // not multipart
  });
});
