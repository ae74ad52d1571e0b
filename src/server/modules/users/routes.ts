import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { createWorkspace } from './onboarding.ts';
import { login, logout, me, sessionCookieName, switchWorkspace } from './auth.ts';
import { changePassword, totpDisable, totpEnable, totpSetup } from './security.ts';
import { createUser, listUsers, resetPassword, updateUser } from './service.ts';
import { createToken, listTokens, revokeToken } from './tokens.ts';

export function userRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ok = { ok: true as const };
  const cookie = sessionCookieName(s.config);
  // The browser may keep the cookie for the absolute lifetime; the server ends idle sessions sooner.
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(cookie, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: s.config.secureCookies,
      maxAge: s.config.sessionMaxHours * 3600,
    });
  // Account security: a console session and the password again, never an API token.
  const security = { auth: 'user', session: true } as const;
  const origin = (req: { ip: string; headers: { 'user-agent'?: string } }) => ({
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
  });

  r.post(
    '/api/auth/login',
    {
      config: { auth: 'public', rateLimit: { max: s.config.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie',
        body: api.LoginBody,
        response: { 200: api.Me },
      },
    },
    async (req, reply) => {
      const { token, actor } = await login(s, req.body, origin(req));
      setCookie(reply, token);
      return me({ ...s, log: req.log, actor, ip: req.ip });
    },
  );
  r.post(
    '/api/auth/logout',
    { config: { auth: 'user', pendingPassword: true }, schema: { tags: ['auth'], response: { 200: api.Ok } } },
    async (req, reply) => {
      await logout(ctxOf(s, req));
      reply.clearCookie(cookie, { path: '/', secure: s.config.secureCookies });
      return ok;
    },
  );
  r.get(
    '/api/auth/me',
    { config: { auth: 'user', pendingPassword: true }, schema: { tags: ['auth'], response: { 200: api.Me } } },
    async (req) => me(ctxOf(s, req)),
  );
  r.post(
    '/api/auth/password',
    {
      config: {
        ...security,
        pendingPassword: true,
        rateLimit: { max: s.config.loginRatePerMinute, timeWindow: '1 minute' },
      },
      schema: { tags: ['auth'], body: api.ChangePasswordBody, response: { 200: api.ChangedPassword } },
    },
    async (req, reply) => {
      const { token, tokensRevoked } = await changePassword(ctxOf(s, req), req.body, origin(req));
      setCookie(reply, token);
      return { ...ok, tokensRevoked };
    },
  );
  r.post(
    '/api/auth/totp/setup',
    {
      config: { ...security, rateLimit: { max: s.config.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], body: api.TotpSetupBody, response: { 200: api.TotpSetup } },
    },
    async (req) => totpSetup(ctxOf(s, req), req.body.password),
  );
  r.post(
    '/api/auth/totp/enable',
    {
      config: { ...security, rateLimit: { max: s.config.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], body: api.TotpEnableBody, response: { 200: api.Ok } },
    },
    async (req) => {
      await totpEnable(ctxOf(s, req), req.body.code, req.body.password);
      return ok;
    },
  );
  r.post(
    '/api/auth/totp/disable',
    {
      config: { ...security, rateLimit: { max: s.config.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], body: api.TotpDisableBody, response: { 200: api.Ok } },
    },
    async (req) => {
      await totpDisable(ctxOf(s, req), req.body.password);
      return ok;
    },
  );
  r.post(
    '/api/auth/switch-workspace',
    {
      config: { permission: 'installation.manage', session: true },
      schema: { tags: ['auth'], body: api.SwitchWorkspaceBody, response: { 200: api.Me } },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      await switchWorkspace(ctx, req.body.workspaceId);
      return me(ctx);
    },
  );

  // Names of the workspace's active people, for assignee pickers (any role working the workspace).
  r.get(
    '/api/users/directory',
    {
      config: { permission: 'workspace.read' },
      schema: {
        tags: ['users'],
        response: {
          200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), role: api.RoleSchema })) }),
        },
      },
    },
    async (req) => ({
      items: (await listUsers(ctxOf(s, req)))
        .filter((u) => !u.disabled)
        .map((u) => ({ id: u.id, name: u.displayName || u.name, role: u.role })),
    }),
  );
  r.get(
    '/api/users',
    { config: { permission: 'users.read' }, schema: { tags: ['users'], response: { 200: api.UserList } } },
    async (req) => ({ items: await listUsers(ctxOf(s, req)) }),
  );
  r.post(
    '/api/users',
    {
      config: { permission: 'users.manage' },
      schema: { tags: ['users'], body: api.CreateUserBody, response: { 200: api.CreatedUser } },
    },
    async (req) => createUser(ctxOf(s, req), req.body),
  );
  r.patch(
    '/api/users/:id',
    {
      config: { permission: 'users.manage' },
      schema: { tags: ['users'], params: api.IdParam, body: api.UpdateUserBody, response: { 200: api.User } },
    },
    async (req) => updateUser(ctxOf(s, req), req.params.id, req.body),
  );
  r.post(
    '/api/users/:id/reset-password',
    {
      config: { permission: 'users.manage' },
      schema: { tags: ['users'], params: api.IdParam, response: { 200: api.ResetPasswordResult } },
    },
    async (req) => resetPassword(ctxOf(s, req), req.params.id),
  );

  r.get(
    '/api/tokens',
    { config: security, schema: { tags: ['tokens'], response: { 200: api.TokenList } } },
    async (req) => ({ items: await listTokens(ctxOf(s, req)) }),
  );
  r.post(
    '/api/tokens',
    {
      config: { ...security, rateLimit: { max: s.config.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: { tags: ['tokens'], body: api.CreateTokenBody, response: { 200: api.CreatedToken } },
    },
    async (req) => createToken(ctxOf(s, req), req.body),
  );
  // Revoking only takes access away: a session suffices, no password.
  r.delete(
    '/api/tokens/:id',
    { config: security, schema: { tags: ['tokens'], params: api.IdParam, response: { 200: api.Ok } } },
    async (req) => {
      await revokeToken(ctxOf(s, req), req.params.id);
      return ok;
    },
  );

  // Creating a workspace creates its owner account, which is this module's business.
  r.post(
    '/api/workspaces',
    {
      config: { permission: 'installation.manage' },
      schema: { tags: ['workspaces'], body: api.CreateWorkspaceBody, response: { 200: api.CreatedWorkspace } },
    },
    async (req) => createWorkspace(ctxOf(s, req), req.body),
  );
}
