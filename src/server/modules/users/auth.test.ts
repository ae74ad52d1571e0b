import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { engines, testApp, testPassword, type TestApp, allTables } from '../../testing/harness.ts';

describe.each(engines)('sign-in and sessions on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('refuses a wrong password, accepts the right one, and signs out', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: owner.actor.email, password: 'nope-nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect((await owner.get('/api/auth/me')).json().user.email).toBe(owner.actor.email);
    expect((await owner.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await owner.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('locks the account after repeated failures, and the lock expires', async () => {
    const clock = manualClock('2026-03-01T02:00:00Z');
    t = await testApp(engine, { clock, config: { loginMaxFailures: 3, lockoutMinutes: 10 } });
    const { owner } = await t.workspace('acme');
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: owner.actor.email, password } });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong-password!')).statusCode).toBe(401);
    // Locked answers like a wrong password (no account enumeration); the owner learns of it by e-mail.
    const locked = await attempt(testPassword);
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.code).toBe('invalid_credentials');
    clock.advance(10 * 60_000 + 1);
    expect((await attempt(testPassword)).statusCode).toBe(200);
    const audit = (await owner.get('/api/audit?action=user.locked_out')).json();
    expect(audit.items).toHaveLength(1);
  });

  it('rate-limits sign-in attempts per IP', async () => {
    t = await testApp(engine, { config: { loginRatePerMinute: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@example.com', password: 'whatever-password' },
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('requires the CSRF token for cookie-authenticated writes', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    const noCsrf = await owner.request({
      method: 'PATCH',
      url: '/api/workspace',
      payload: { name: 'Hacked' },
      headers: { 'x-csrf-token': '' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    expect((await owner.get('/api/workspace')).json().name).toBe('Workspace acme');
    expect((await owner.patch('/api/workspace', { name: 'Renamed' })).json().name).toBe('Renamed');
  });

  it('sets an httpOnly SameSite cookie and stores only its hash', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: owner.actor.email, password: testPassword },
    });
    const c = res.cookies.find((x) => x.name === 'kefu_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.path).toBe('/');
    const ids = (await allTables(t.s).selectFrom('sessions').select('id').execute()).map((r) => r.id);
    expect(ids).not.toContain(c.value);
    expect(ids).toHaveLength(2);
  });

  it('expires idle sessions', async () => {
    const clock = manualClock('2026-03-01T02:00:00Z');
    t = await testApp(engine, { clock, config: { sessionTtlHours: 1 } });
    const { owner } = await t.workspace('acme');
    clock.advance(59 * 60_000);
    expect((await owner.get('/api/auth/me')).statusCode).toBe(200); // slides the expiry
    clock.advance(59 * 60_000);
    expect((await owner.get('/api/auth/me')).statusCode).toBe(200);
    clock.advance(61 * 60_000);
    expect((await owner.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('supports TOTP two-factor sign-in', async () => {
    const clock = manualClock('2026-03-01T02:00:00Z');
    t = await testApp(engine, { clock });
    const { owner } = await t.workspace('acme');
    const { secret } = (await owner.post('/api/auth/totp/setup', { password: testPassword })).json();
    const code = async () => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const enable = (c: string) => owner.post('/api/auth/totp/enable', { code: c, password: testPassword });
    expect((await enable('000000')).statusCode).toBe(400);
    expect((await enable(await code())).statusCode).toBe(200);
    clock.advance(30_000); // the code that turned it on is spent
    const login = (totp?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: owner.actor.email, password: testPassword, ...(totp ? { totp } : {}) },
      });
    expect((await login()).json().error.code).toBe('totp_required');
    expect((await login('123456')).json().error.code).toBe('invalid_totp');
    const ok = await login(await code());
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.totpEnabled).toBe(true);
    // The secret is stored encrypted, never in clear.
    const row = await allTables(t.s)
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', owner.actor.userId)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toContain(secret);
  });

  it('makes a new user change the temporary password, and keeps the session after the change', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    const created = (
      await owner.post('/api/users', { email: 'new@example.com', name: 'New Agent', role: 'agent' })
    ).json();
    expect(created.user.mustChangePassword).toBe(true);
    const agent = await t.signIn('new@example.com', created.temporaryPassword);
    expect((await agent.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const changed = await agent.post('/api/auth/password', {
      currentPassword: created.temporaryPassword,
      newPassword: 'a-much-better-password',
    });
    expect(changed.statusCode).toBe(200);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401); // old session ended
    const again = await t.signIn('new@example.com', 'a-much-better-password');
    expect((await again.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
  });

  it('disabling a user ends their sessions and refuses sign-in', async () => {
    t = await testApp(engine);
    const { id, owner } = await t.workspace('acme');
    const agent = await t.user(id, 'agent');
    expect((await owner.patch(`/api/users/${agent.actor.userId}`, { disabled: true })).json().disabled).toBe(true);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    await expect(t.signIn(agent.actor.email)).rejects.toThrow(/401/);
  });

  it('scopes API tokens to the intersection of scopes and role, and revokes them', async () => {
    t = await testApp(engine);
    const { id, owner } = await t.workspace('acme');
    const sup = await t.user(id, 'supervisor');
    expect(
      (await sup.post('/api/tokens', { name: 'x', scopes: ['users.manage'], password: testPassword })).statusCode,
    ).toBe(400);
    const { token, secret } = (
      await sup.post('/api/tokens', { name: 'reader', scopes: ['users.read'], password: testPassword })
    ).json();
    expect(secret).toMatch(/^kefu_pat_/);
    const bearer = (method: 'GET' | 'PATCH', url: string, payload?: object) =>
      t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${secret}` } });
    expect((await bearer('GET', '/api/users')).statusCode).toBe(200);
    expect((await bearer('GET', '/api/workspace')).statusCode).toBe(403); // role has it, token scope does not
    // A role downgrade narrows the token at once.
    await owner.patch(`/api/users/${sup.actor.userId}`, { role: 'agent' });
    expect((await bearer('GET', '/api/users')).statusCode).toBe(403);
    await owner.patch(`/api/users/${sup.actor.userId}`, { role: 'supervisor' });
    const sup2 = await t.signIn(sup.actor.email);
    expect((await sup2.del(`/api/tokens/${token.id}`)).statusCode).toBe(200);
    expect((await bearer('GET', '/api/users')).json().error.code).toBe('invalid_token');
    const row = await allTables(t.s)
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(secret);
  });
});
