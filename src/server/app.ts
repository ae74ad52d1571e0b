/** The Fastify app: plugins, error handling, auth, module routes, health, OpenAPI, console. */
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import type { TrustProxy } from './config.ts';
import type { Services } from './context.ts';
import { installAuth } from './http/auth.ts';
import { installConsole } from './http/console.ts';
import { installErrorHandling, sendNotFound } from './http/errors.ts';
import { healthRoutes } from './http/health.ts';
import { installMetrics } from './http/metrics.ts';
import { newId } from './lib/ids.ts';
import { Gateway } from './realtime/gateway.ts';
import { installDemoPage } from './demo/page.ts';
import { installWidget } from './modules/inboxes/index.ts';
import { modules } from './modules/registry.ts';
import { installWriteStop } from './modules/backups/index.ts';
import { actorFromSession, actorFromToken, sessionCookieName } from './modules/users/index.ts';

/**
 * Fastify's own number form no longer trusts anything (it cannot check the peer), so a hop count
 * is a function here: the socket's peer and the next hops-1 X-Forwarded-For entries from the right
 * are proxies, the entry after them is the client. Addresses/CIDRs go to proxy-addr as they are.
 */
export function trustProxyOption(t: TrustProxy): false | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof t === 'number') return (_addr, hop) => hop < t;
  return t;
}

/** serveConsole: false for API-only nodes; consoleDir: where the built console is (tests). */
export type AppOptions = { serveConsole?: boolean; consoleDir?: string; realtime?: boolean };

export async function buildApp(s: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: s.log,
    bodyLimit: s.config.bodyLimit,
    trustProxy: trustProxyOption(s.config.trustProxy),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : newId('req');
    },
    requestIdHeader: false,
    // Requests are logged below: at debug, unless they fail or are slow.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  installErrorHandling(app);
  app.addHook('onResponse', async (req, reply) => {
    const line = { req, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 500) req.log.error(line, 'request failed');
    else if (reply.elapsedTime >= s.config.slowRequestMs) req.log.warn(line, 'slow request');
    else req.log.debug(line, 'request completed');
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd injects its CSS-in-JS styles at run time
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // Plain-HTTP installs (a LAN address) would break if browsers were told to upgrade.
        upgradeInsecureRequests: s.config.secureCookies ? [] : null,
      },
    },
    hsts: s.config.secureCookies,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 5 } });
  // With Redis the rate limits are shared by every node behind the load balancer.
  const rateRedis = s.config.redisUrl
    ? new Redis(s.config.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 })
    : undefined;
  if (rateRedis) app.addHook('onClose', async () => void rateRedis.disconnect());
  await app.register(fastifyRateLimit, {
    global: false,
    ...(rateRedis ? { redis: rateRedis, nameSpace: `${s.config.redisPrefix}rate:` } : {}),
    errorResponseBuilder: (req, ctx) => ({
      statusCode: 429,
      error: {
        code: 'rate_limited',
        message: `too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
        requestId: String(req.id),
      },
    }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Kefu API',
        version: '1',
        description:
          'Authenticate with the console session cookie (plus x-csrf-token on writes) or a personal API token as a Bearer token.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: sessionCookieName(s.config) },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // Before authentication: a restore over this data answers every write with 503 at once.
  installWriteStop(app, s);
  installAuth(app, s, {
    sessionCookie: sessionCookieName(s.config),
    fromSession: actorFromSession,
    fromToken: actorFromToken,
  });
  const registry = installMetrics(app, s.metrics);
  healthRoutes(app, s, registry);
  for (const m of modules) m.routes?.(app, s);

  const fallback = opts.serveConsole === false ? null : await installConsole(app, opts.consoleDir);
  if (opts.serveConsole !== false) {
    await installWidget(app, s);
    installDemoPage(app, s);
  }
  if (opts.realtime !== false) {
    const gateway = new Gateway(s);
    app.addHook('onReady', () => gateway.start(app.server));
    app.addHook('preClose', () => gateway.stop());
  }
  app.setNotFoundHandler((req, reply) => (fallback?.(req, reply) ? reply : sendNotFound(req, reply)));
  return app;
}
