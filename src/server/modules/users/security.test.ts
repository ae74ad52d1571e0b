/**
 * Account security (issue #9, findings 2, 6, 7, 9, 11 and the session parts of 15): TOTP codes
 * count toward the lockout and work once; tokens die with a reset; a temporary password opens
 * nothing else; security routes want a session and the password; a locked account answers like
 * an unknown one and its owner is told by e-mail; sessions end after an absolute lifetime; the
 * cookie is `__Host-` over HTTPS.
 */
import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import { JobWorker } from '../../lib/jobs/worker.ts';
import { registerJobs } from '../../main.ts';
import { engines, testApp, testPassword, type Client, type TestApp, allTables } from '../../testing/harness.ts';
import { captureSmtp } from '../../testing/smtp.ts';

describe.each(engines)('account security on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const login = (email: string, password = testPassword, totp?: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password, ...(totp ? { totp } : {}) } });
  const token = async (c: Client, scopes: string[]) =>
    (await c.post('/api/tokens', { name: 'erp', scopes, password: testPassword })).json().secret as string;
  const bearer = (secret: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${secret}` } });

  it('counts wrong TOTP codes toward the lockout and accepts a code once', async () => {
    const clock = manualClock('2026-03-01T02:00:00Z');
    t = await testApp(engine, { clock, config: { loginMaxFailures: 3 } });
    const { owner } = await t.workspace('acme');
    const { secret } = (await owner.post('/api/auth/totp/setup', { password: testPassword })).json();
    const code = () => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    expect((await owner.post('/api/auth/totp/enable', { code: await code(), password: testPassword })).statusCode).toBe(
      200,
    );
    clock.advance(30_000);
    const fresh = await code();
    expect((await login(owner.actor.email, testPassword, fresh)).statusCode).toBe(200);
    // The same code again, within its window: refused.
    const replay = await login(owner.actor.email, testPassword, fresh);
    expect(replay.json().error.code).toBe('invalid_totp');
    // Two more wrong codes make three failures: the account locks, even for the right code after.
    expect((await login(owner.actor.email, testPassword, '000000')).json().error.code).toBe('invalid_totp');
    expect((await login(owner.actor.email, testPassword, '111111')).json().error.code).toBe('invalid_totp');
    clock.advance(30_000);
    expect((await login(owner.actor.email, testPassword, await code())).json().error.code).toBe('invalid_credentials');
    const audit = (await owner.get('/api/audit?action=user.locked_out')).json().items;
    expect(audit.map((e: { data: object }) => e.data)).toEqual([{ failures: 3, reason: 'totp' }]);
  });

  it('answers a locked account like an unknown one, and e-mails its owner through the jobs queue', async () => {
    const smtp = await captureSmtp();
    try {
      t = await testApp(engine, { config: { loginMaxFailures: 2, smtpUrl: smtp.url } });
      const { owner } = await t.workspace('acme');
      const worker = new JobWorker({ db: t.s.db, clock: t.s.clock, log: t.s.log, pollMs: 1000 });
      registerJobs(worker, t.s);
      for (let i = 0; i < 2; i++) await login(owner.actor.email, 'wrong-password!');
      const locked = await login(owner.actor.email);
      const unknown = await login('nobody@example.com');
      expect([locked.statusCode, locked.json().error]).toEqual([
        401,
        { ...unknown.json().error, requestId: locked.json().error.requestId },
      ]);
      while ((await worker.tick()) > 0);
      await expect.poll(() => smtp.received.length).toBe(1);
      expect(smtp.received[0].to).toBe(owner.actor.email);
      expect(smtp.received[0].data).toContain('locked');
      // Only the attempt that locked sends mail; attempts while locked do not.
      await login(owner.actor.email);
      while ((await worker.tick()) > 0);
      expect(smtp.received).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('revokes API tokens on an admin reset always, and on a self-change unless kept (audited)', async () => {
    t = await testApp(engine);
    const { id, owner } = await t.workspace('acme');
    const agent = await t.user(id, 'agent');
    const agentToken = await token(agent, ['tickets.read']);
    expect((await bearer(agentToken, 'GET', '/api/tickets')).statusCode).toBe(200);
    expect((await owner.post(`/api/users/${agent.actor.userId}/reset-password`)).statusCode).toBe(200);
    expect((await bearer(agentToken, 'GET', '/api/tickets')).json().error.code).toBe('invalid_token');
    const reset = (await owner.get('/api/audit?action=user.password_reset')).json().items[0];
    expect(reset.data).toEqual({ tokensRevoked: 1 });

    const kept = await token(owner, ['tickets.read']);
    const keep = await owner.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'another-long-password',
      revokeTokens: false,
    });
    expect(keep.json()).toEqual({ ok: true, tokensRevoked: 0 });
    expect((await bearer(kept, 'GET', '/api/tickets')).statusCode).toBe(200);
    const again = await t.signIn(owner.actor.email, 'another-long-password');
    const change = await again.post('/api/auth/password', {
      currentPassword: 'another-long-password',
      newPassword: 'a-third-long-password',
    });
    expect(change.json()).toEqual({ ok: true, tokensRevoked: 1 });
    expect((await bearer(kept, 'GET', '/api/tickets')).statusCode).toBe(401);
    const last = await t.signIn(owner.actor.email, 'a-third-long-password');
    const changes = (await last.get('/api/audit?action=user.password_changed')).json().items;
    expect(changes.map((e: { data: object }) => e.data)).toEqual([
      { revokeTokens: true, tokensRevoked: 1 },
      { revokeTokens: false, tokensRevoked: 0 },
    ]);
  });

  it('refuses everything but me, signing out and changing it while a temporary password is unchanged', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    const created = (await owner.post('/api/users', { email: 'temp@example.com', name: 'Temp', role: 'admin' })).json();
    const temp = await t.signIn('temp@example.com', created.temporaryPassword);
    const allowed = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/password']);
    for (const r of t.app.kefuRoutes.filter((x) => x.auth !== 'public')) {
      if (allowed.has(`${r.method} ${r.url}`)) continue;
      const res = await temp.request({
        method: r.method as 'GET',
        url: r.url.replace(':id', 'x'),
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect([res.statusCode, res.json().error?.code], `${r.method} ${r.url}`).toEqual([
        403,
        'password_change_required',
      ]);
    }
    const upload = await temp.request({ method: 'POST', url: '/api/uploads', payload: '' });
    expect(upload.json().error.code).toBe('password_change_required');
    expect((await temp.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const changed = await temp.post('/api/auth/password', {
      currentPassword: created.temporaryPassword,
      newPassword: 'my-own-long-password',
    });
    expect(changed.statusCode).toBe(200);
    const after = await t.signIn('temp@example.com', 'my-own-long-password');
    expect((await after.get('/api/users')).statusCode).toBe(200);
  });

  it('keeps password, two-step and token routes to a session with the password, never a token', async () => {
    t = await testApp(engine, { config: { loginMaxFailures: 3 } });
    const { owner } = await t.workspace('acme');
    const secret = await token(owner, ['workspace.read', 'users.read', 'users.manage', 'tickets.read']);
    const security: [string, string, object | undefined][] = [
      ['POST', '/api/auth/totp/setup', { password: testPassword }],
      ['POST', '/api/auth/totp/enable', { code: '123456', password: testPassword }],
      ['POST', '/api/auth/totp/disable', { password: testPassword }],
      ['POST', '/api/auth/password', { currentPassword: testPassword, newPassword: 'token-chosen-password' }],
      ['GET', '/api/tokens', undefined],
      ['POST', '/api/tokens', { name: 'more', scopes: ['users.read'], password: testPassword }],
    ];
    for (const [method, url, payload] of security) {
      const res = await bearer(secret, method as 'POST', url, payload);
      expect([res.statusCode, res.json().error?.code], `${method} ${url}`).toEqual([403, 'session_required']);
    }
    // A session alone is not enough: the password comes with the request.
    expect((await owner.post('/api/auth/totp/setup', {})).statusCode).toBe(400);
    expect((await owner.post('/api/tokens', { name: 'x', scopes: ['users.read'] })).statusCode).toBe(400);
    // Guessing it from an open session counts toward the lockout.
    for (let i = 0; i < 3; i++)
      expect((await owner.post('/api/auth/totp/setup', { password: `guess-${i}-password` })).json().error.code).toBe(
        'wrong_password',
      );
    const locked = await owner.post('/api/auth/totp/setup', { password: testPassword });
    expect(locked.json().error.code).toBe('account_locked');
    const row = await allTables(t.s)
      .selectFrom('users')
      .select(['totp_secret', 'locked_until'])
      .where('id', '=', owner.actor.userId)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).toBeNull();
    expect(row.locked_until).not.toBeNull();
  });

  it('ends a session after its absolute lifetime however active it is', async () => {
    const clock = manualClock('2026-03-01T02:00:00Z');
    t = await testApp(engine, { clock, config: { sessionTtlHours: 1, sessionMaxHours: 3 } });
    const { owner } = await t.workspace('acme');
    for (let i = 0; i < 5; i++) {
      clock.advance(35 * 60_000);
      expect((await owner.get('/api/auth/me')).statusCode, `after ${(i + 1) * 35} min`).toBe(200);
    }
    clock.advance(6 * 60_000); // 3 h 01 since sign-in, 6 min since the last use
    expect((await owner.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('names the session cookie __Host-kefu_session over HTTPS (Secure, path /, no domain)', async () => {
    t = await testApp(engine, { config: { secureCookies: true } });
    const { owner } = await t.workspace('acme');
    expect(owner.cookie).toMatch(/^__Host-kefu_session=/);
    const ok = await login(owner.actor.email);
    const cookie = ok.cookies.find((c) => c.name === '__Host-kefu_session')!;
    expect(cookie).toMatchObject({ secure: true, path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(cookie.domain).toBeUndefined();
    expect(ok.cookies.some((c) => c.name === 'kefu_session')).toBe(false);
    const me = (name: string) =>
      t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${name}=${cookie.value}` } });
    expect((await me('__Host-kefu_session')).statusCode).toBe(200);
    expect((await me('kefu_session')).statusCode).toBe(401);
  });
});
