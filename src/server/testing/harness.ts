/**
 * Test harness: a real Kefu app on SQLite (a temp file) or PostgreSQL (a schema in
 * KEFU_TEST_DATABASE_URL), driven through HTTP with inject(). Each app starts on an empty,
 * migrated database, copied or reused rather than migrated again (see databases.ts).
 * Integration suites run once per engine via `describe.each(engines)`. Without
 * KEFU_TEST_DATABASE_URL the PostgreSQL runs are skipped with a message; under CI=true they are
 * required and their absence fails the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { Role } from '../../shared/permissions.ts';
import { buildApp } from '../app.ts';
import { loadConfig, type Config, type ConfigInput } from '../config.ts';
import type { Services } from '../context.ts';
import { tablesOf, type Engine, type Executor } from '../db/index.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { createWorkspaceWithOwner, insertUser } from '../modules/users/index.ts';
import { closeServices, createServices, prepare } from '../services.ts';
import { migratedPgSchema, migratedSqliteFile } from './databases.ts';

export const pgUrl = process.env.KEFU_TEST_DATABASE_URL;
export const redisUrl = process.env.KEFU_TEST_REDIS_URL;
const ci = process.env.CI === 'true';

if (ci && !pgUrl)
  throw new Error('CI=true but KEFU_TEST_DATABASE_URL is not set: the PostgreSQL suites must run in CI');
if (ci && !redisUrl) throw new Error('CI=true but KEFU_TEST_REDIS_URL is not set: the Redis suites must run in CI');
let warned = false;
function warnOnce() {
  if (warned) return;
  warned = true;
  console.warn(
    '[kefu tests] KEFU_TEST_DATABASE_URL is not set: PostgreSQL runs are skipped (SQLite only). Set it to run them.',
  );
}

/** The engines every integration suite runs on. */
export const engines: Engine[] = pgUrl ? ['sqlite', 'postgres'] : (warnOnce(), ['sqlite']);

export const testPassword = 'correct-horse-battery';

/** Tests may look at every table (modules may not): the whole database, typed. */
export const allTables = (s: { db: Executor }) => tablesOf<Database>(s.db);

/** A fresh PostgreSQL schema; returns it and a function that drops it. */
export async function freshPgSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  return {
    schema,
    async drop() {
      const d = new pg.Client({ connectionString: pgUrl });
      await d.connect();
      await d.query(`drop schema ${schema} cascade`);
      await d.end();
    },
  };
}

export type TestEnv = {
  engine: Engine;
  config: Config;
  dataDir: string;
  pgSchema?: string;
  cleanup(): Promise<void>;
};

/**
 * A data folder and (for PostgreSQL) a schema, plus the config pointing at them. The database is
 * empty, or with `migrated` already migrated (and shared with later tests once cleaned up).
 */
export async function testEnv(
  engine: Engine,
  overrides: ConfigInput = {},
  opts: { migrated?: boolean } = {},
): Promise<TestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
  if (opts.migrated && engine === 'sqlite') await migratedSqliteFile(join(dataDir, 'kefu.db'));
  const pgs =
    engine !== 'postgres'
      ? undefined
      : opts.migrated
        ? await migratedPgSchema(pgUrl!).then((m) => ({ schema: m.schema, drop: async () => m.release() }))
        : await freshPgSchema();
  const { config } = loadConfig({
    env: {},
    flags: {
      dataDir,
      databaseUrl: pgs ? pgUrl : undefined,
      logLevel: 'silent',
      demo: false,
      secretKey: randomBytes(32).toString('hex'),
      // Test files run in parallel on one Redis: each environment has its own channels and counters.
      redisPrefix: `kefu-test-${randomBytes(6).toString('hex')}:`,
      ...overrides,
    },
  });
  return {
    engine,
    config,
    dataDir,
    pgSchema: pgs?.schema,
    async cleanup() {
      await pgs?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Client = {
  actor: { userId: string; workspaceId: string; email: string; role: Role };
  /** The Cookie header value of this client's session (for WebSocket tests). */
  cookie: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
};

export type TestApp = {
  app: FastifyInstance;
  s: Services;
  env: TestEnv;
  /** Creates a workspace whose owner is returned signed in. */
  workspace(slug: string, opts?: { installationOwner?: boolean }): Promise<{ id: string; owner: Client }>;
  /** Creates a user with a role in a workspace and signs them in. */
  user(workspaceId: string, role: Role, email?: string): Promise<Client>;
  /** Signs in through POST /api/auth/login; the client carries the cookie and CSRF token. */
  signIn(email: string, password?: string): Promise<Client>;
  close(): Promise<void>;
};

let seq = 0;

export async function testApp(
  engine: Engine,
  opts: { clock?: Clock; config?: ConfigInput; log?: Logger } = {},
): Promise<TestApp> {
  const env = await testEnv(engine, opts.config, { migrated: true });
  const s = createServices(env.config, {
    clock: opts.clock,
    log: opts.log ?? createLogger('silent'),
    pgSchema: env.pgSchema,
  });
  await prepare(s);
  const app = await buildApp(s, { serveConsole: false });
  await app.ready();

  const signIn = async (email: string, password = testPassword): Promise<Client> => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
    const me = res.json();
    // kefu_session, or __Host-kefu_session with secure cookies.
    const cookie = res.cookies.find((c) => c.name.endsWith('kefu_session'))!;
    const headers = { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': me.csrfToken as string };
    const request = (o: InjectOptions) => app.inject({ ...o, headers: { ...headers, ...(o.headers ?? {}) } });
    return {
      actor: { userId: me.user.id, workspaceId: me.workspace.id, email, role: me.user.role },
      cookie: headers.cookie,
      request,
      get: (url) => request({ method: 'GET', url }),
      post: (url, payload) => request({ method: 'POST', url, payload: payload as InjectOptions['payload'] }),
      patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
      del: (url) => request({ method: 'DELETE', url }),
    };
  };

  return {
    app,
    s,
    env,
    signIn,
    async workspace(slug, o = {}) {
      const email = `owner-${slug}-${++seq}@example.com`;
      const r = await createWorkspaceWithOwner(s, {
        name: `Workspace ${slug}`,
        slug,
        timezone: 'Asia/Shanghai',
        defaultLanguage: 'zh-CN',
        admin: {
          email,
          name: `Owner ${slug}`,
          password: testPassword,
          installationOwner: o.installationOwner,
          role: 'owner',
        },
      });
      return { id: r.workspace.id, owner: await signIn(email) };
    },
    async user(workspaceId, role, email = `${role}-${++seq}@example.com`) {
      await insertUser(s, {
        workspaceId,
        email,
        name: `${role} ${seq}`,
        role,
        password: testPassword,
      });
      return signIn(email);
    },
    async close() {
      await app.close();
      await closeServices(s);
      await env.cleanup();
    },
  };
}
