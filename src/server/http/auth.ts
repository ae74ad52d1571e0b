/**
 * Authentication and authorisation for every route. Each /api route declares either
 * `config.auth: 'public' | 'user'` or `config.permission`; a route that declares neither stops
 * the server at start-up, so no route can be left unguarded. Cookie-authenticated writes must
 * carry the session's CSRF token in `x-csrf-token`. Two more declarations narrow a route:
 * `session` (a console session only, never an API token: account security) and
 * `pendingPassword` (open to a user who must still replace a temporary password; every other
 * route refuses them until they have).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission } from '../../shared/permissions.ts';
import type { Actor, Services } from '../context.ts';
import { AppError, forbidden, unauthenticated } from '../lib/errors.ts';

export type RouteGuard = {
  auth?: 'public' | 'user';
  permission?: Permission;
  /** Only a console session may call it: API tokens are refused (password, two-step, tokens). */
  session?: boolean;
  /** Allowed while the user must still change a temporary password (me, sign out, change it). */
  pendingPassword?: boolean;
};
export type RouteInfo = { method: string; url: string } & RouteGuard;

/** How an actor is found (the users module provides these; the app wires them in). */
export type ActorResolvers = {
  sessionCookie: string;
  fromSession(s: Services, cookie: string): Promise<Actor | null>;
  fromToken(s: Services, secret: string): Promise<Actor | null>;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: 'public' | 'user';
    permission?: Permission;
    session?: boolean;
    pendingPassword?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    kefuRoutes: RouteInfo[];
    kefuActors: ActorResolvers;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installAuth(app: FastifyInstance, services: Services, actors: ActorResolvers): void {
  app.decorate('kefuRoutes', []);
  app.decorate('kefuActors', actors);
  app.decorateRequest('actor', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const cfg = (route.config ?? {}) as RouteGuard;
    if (!cfg.auth && !cfg.permission)
      throw new Error(`route ${String(route.method)} ${route.url} declares neither auth nor permission`);
    for (const m of [route.method].flat()) {
      if (m !== 'HEAD')
        app.kefuRoutes.push({
          method: m,
          url: route.url,
          auth: cfg.auth,
          permission: cfg.permission,
          session: cfg.session,
          pendingPassword: cfg.pendingPassword,
        });
    }
  });

  app.addHook('onRequest', async (req) => {
    if (req.is404) return;
    const cfg = req.routeOptions.config as RouteGuard;
    if (cfg.auth === 'public') return;
    if (!cfg.auth && !cfg.permission) return; // not an API route (health, metrics, console)
    const actor = await authenticate(services, req);
    if (!actor) throw unauthenticated();
    assertAllowed(actor, cfg);
    req.actor = actor;
  });
}

/** Whether this actor may use a route with this guard (routes that authenticate themselves call it too). */
export function assertAllowed(actor: Actor, cfg: RouteGuard): void {
  if (cfg.session && actor.type !== 'user')
    throw new AppError(403, 'session_required', 'account security needs a console session; API tokens cannot');
  if (actor.mustChangePassword && !cfg.pendingPassword)
    throw new AppError(403, 'password_change_required', 'change your temporary password first');
  if (cfg.permission && !actor.permissions.includes(cfg.permission)) throw forbidden();
}

/**
 * The actor behind a request: a Bearer API token, or a session cookie (whose writes must carry
 * the session's CSRF token). Null when neither is present; throws when one is present but bad.
 */
export async function authenticate(services: Services, req: FastifyRequest): Promise<Actor | null> {
  const { fromToken, fromSession, sessionCookie } = req.server.kefuActors;
  const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    const actor = await fromToken(services, bearer);
    if (!actor) throw new AppError(401, 'invalid_token', 'the API token is unknown, revoked or expired');
    return actor;
  }
  const cookie = req.cookies[sessionCookie];
  const actor = cookie ? await fromSession(services, cookie) : null;
  if (actor && !safeMethods.has(req.method) && req.headers['x-csrf-token'] !== actor.csrfToken) {
    throw new AppError(403, 'csrf_failed', 'missing or wrong x-csrf-token header');
  }
  return actor;
}
