/**
 * One benchmark installation: a data folder and (PostgreSQL) a fresh database, a first start
 * through the real CLI (migrations, demo workspace), the setup a shop does through the API (an
 * inbox, a calendar and SLA policy, agents, one real ticket whose SLA snapshot the generator
 * copies), then the generated data loaded while the server is stopped, and a second start.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createCipher } from '../../src/server/lib/crypto.ts';
import { openDb } from '../../src/server/db/index.ts';
import { rebuildTicketSlaRollup } from '../../src/server/modules/tickets/index.ts';
import { api, signInHttp, startKefuProcess, type KefuProcess } from '../../src/server/testing/spawn.ts';
import { generate, type Probes } from './generate.ts';
import { postgresSink, sqliteSink, type Sink } from './sink.ts';

export const adminPassword = 'bench-admin-password-1';
export const agentEmail = 'bench-agent@kefu.local';

export type Engine = 'sqlite' | 'postgres';
export type Installation = {
  engine: Engine;
  conversations: number;
  server: KefuProcess;
  probes: Probes;
  loadMs: number;
  rows: Record<string, number>;
  agentPassword: string;
  stop(): Promise<void>;
};

export async function install(
  engine: Engine,
  n: number,
  pgUrl: string | undefined,
  keep = false,
): Promise<Installation> {
  const root = mkdtempSync(join(tmpdir(), 'kefu-volume-'));
  // A data folder that does not exist yet: with PostgreSQL and a given key nothing but the
  // server's start creates it (the /readyz bug of issue 10).
  const dataDir = join(root, 'data');
  const key = randomBytes(32).toString('hex');
  const env: Record<string, string> = { KEFU_SECRET_KEY: key, KEFU_ADMIN_PASSWORD: adminPassword };
  let dbName: string | null = null;
  if (engine === 'postgres') {
    dbName = `kefu_volume_${randomBytes(4).toString('hex')}`;
    await adminQuery(pgUrl!, `create database ${dbName}`);
    const u = new URL(pgUrl!);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  const cleanup = async () => {
    // --keep leaves the data for EXPLAIN and other digging (drop them by hand afterwards).
    if (keep) return console.log(`  kept: ${dataDir}${dbName ? ` and database ${dbName}` : ''}`);
    if (dbName) await adminQuery(pgUrl!, `drop database if exists ${dbName} with (force)`);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    let server = await startKefuProcess({ dataDir, env });
    const admin = await signInHttp(server.url, 'admin@kefu.local', adminPassword);
    const call = <T = any>(method: string, path: string, body?: unknown) =>
      api<T>(server.url, admin, method, path, body);
    const inbox = await call('POST', '/api/inboxes', {
      name: '官网客服',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });
    const calendar = await call('POST', '/api/calendars', {
      name: '工作日 9-18',
      definition: {
        timezone: 'Asia/Shanghai',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
        holidays: 'CN',
      },
    });
    const policy = await call('POST', '/api/sla-policies', {
      name: '标准',
      targets: { firstResponse: 60, resolution: 1440 },
      calendarId: calendar.id,
    });
    const agents: { id: string; name: string }[] = [];
    let agentPassword = '';
    for (let k = 0; k < 20; k++) {
      const email = k === 0 ? agentEmail : `agent${k}@kefu.local`;
      const created = await call('POST', '/api/users', { email, name: `客服${k + 1}`, role: 'agent' });
      agents.push({ id: created.user.id, name: created.user.name });
      if (k === 0) agentPassword = created.temporaryPassword;
    }
    const first = await call('POST', '/api/tickets', { subject: '第一张工单', assigneeId: agents[0].id });
    const me = await call('GET', '/api/auth/me');
    await server.stop();

    const handle = openDb({ databaseUrl: env.DATABASE_URL, sqliteFile: join(dataDir, 'kefu.db') });
    const snapshot = (await sql<{ sla: string }>`select sla from tickets where id = ${first.id}`.execute(handle.db))
      .rows[0].sla;
    const t0 = performance.now();
    const sink: Sink & { close(): unknown } =
      engine === 'postgres' ? await postgresSink(env.DATABASE_URL) : sqliteSink(join(dataDir, 'kefu.db'));
    const probes = await generate(
      sink,
      {
        workspaceId: me.workspace.id,
        inboxId: inbox.id,
        timezone: me.workspace.timezone,
        agents,
        cipher: createCipher(Buffer.from(key, 'hex')),
        slaSnapshot: snapshot,
        policyId: policy.id,
        policyName: policy.name,
        firstTicketNumber: first.number + 1,
        now: Date.now(),
      },
      n,
    );
    await sink.close();
    // What the generator wrote straight into the tables, the rollup learns from the tickets (Kefu's code).
    await rebuildTicketSlaRollup({ db: handle.db }, me.workspace.id);
    await sql`update ticket_counters set last_number = ${first.number + n}`.execute(handle.db);
    // The agents were created with one-time passwords; the benchmark signs in with them as they are.
    await sql`update users set must_change_password = 0`.execute(handle.db);
    await handle.close();
    const loadMs = performance.now() - t0;
    server = await startKefuProcess({ dataDir, env });
    return {
      engine,
      conversations: n,
      server,
      probes,
      loadMs,
      rows: sink.rows,
      agentPassword,
      async stop() {
        await server.stop();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}
