import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { createWorkspace } from './onboarding.ts';
import {
  changePassword,
  login,
  logout,
  me,
  sessionCookie,
  switchWorkspace,
  totpDisable,
  totpEnable,
  totpSetup,
} from './auth.ts';
import { createUser, listUsers, resetPassword, updateUser } from './service.ts';
import { createToken, listTokens, revokeToken } from './tokens.ts';

export function userRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ok = { ok: true as const };
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(sessionCookie, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: s.config.secureCookies,
      maxAge: s.config.sessionTtlHours * 3600,
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
      const { token, actor } = await login(s, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      setCookie(reply, token);
      return me({ ...s, log: req.log, actor, ip: req.ip });
    },
  );
  r.post(
    '/api/auth/logout',
    { config: { auth: 'user' }, schema: { tags: ['auth'], response: { 200: api.Ok } } },
    async (req, reply) => {
      await logout(ctxOf(s, req));
      reply.clearCookie(sessionCookie, { path: '/' });
      return ok;
    },
  );
  r.get(
    '/api/auth/me',
    { config: { auth: 'user' }, schema: { tags: ['auth'], response: { 200: api.Me } } },
    async (req) => me(ctxOf(s, req)),
  );
  r.post(
    '/api/auth/password',
    { config: { auth: 'user' }, schema: { tags: ['auth'], body: api.ChangePasswordBody, response: { 200: api.Ok } } },
    async (req, reply) => {
      const ctx = ctxOf(s, req);
      const { token } = await changePassword(ctx, req.body.currentPassword, req.body.newPassword, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      if (ctx.actor.type === 'user') setCookie(reply, token);
      return ok;
    },
  );
  r.post(
    '/api/auth/totp/setup',
    { config: { auth: 'user' }, schema: { tags: ['auth'], response: { 200: api.TotpSetup } } },
    async (req) => totpSetup(ctxOf(s, req)),
  );
  r.post(
    '/api/auth/totp/enable',
    { config: { auth: 'user' }, schema: { tags: ['auth'], body: api.TotpEnableBody, response: { 200: api.Ok } } },
    async (req) => {
      await totpEnable(ctxOf(s, req), req.body.code);
      return ok;
    },
  );
  r.post(
    '/api/auth/totp/disable',
    { config: { auth: 'user' }, schema: { tags: ['auth'], body: api.TotpDisableBody, response: { 200: api.Ok } } },
    async (req) => {
      await totpDisable(ctxOf(s, req), req.body.password);
      return ok;
    },
  );
  r.post(
    '/api/auth/switch-workspace',
    {
      config: { permission: 'installation.manage' },
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
        .map((u) => ({ id: u.id, name: u.name, role: u.role })),
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
    { config: { auth: 'user' }, schema: { tags: ['tokens'], response: { 200: api.TokenList } } },
    async (req) => ({ items: await listTokens(ctxOf(s, req)) }),
  );
  r.post(
    '/api/tokens',
    {
      config: { auth: 'user' },
      schema: { tags: ['tokens'], body: api.CreateTokenBody, response: { 200: api.CreatedToken } },
    },
    async (req) => createToken(ctxOf(s, req), req.body),
  );
  r.delete(
    '/api/tokens/:id',
    { config: { auth: 'user' }, schema: { tags: ['tokens'], params: api.IdParam, response: { 200: api.Ok } } },
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
