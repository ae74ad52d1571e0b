/**
 * `npm run bench -- reports [--quick] [--engine sqlite|postgres]`: a busy shop's month — 300,000
 * conversations, 3 million messages (10 each: shopper and agent in turn; every other shopper's
 * first message carries its own order number, so half of the first messages are distinct texts
 * for the hot questions), 300,000 resolutions in the audit log — bulk-seeded in SQL
 * (generate_series / a recursive CTE), then the monthly CS report produced as the server produces
 * it (`produceReport`: read and computed in the report worker, stored with its SHA-256) while this
 * thread's event loop is watched with monitorEventLoopDelay (and a 5 ms ticker's worst gap).
 * `--quick`: a tenth of it. PostgreSQL: KEFU_BENCH_DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/test, in a schema of its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { optimize } from '../src/server/db/index.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { manualClock } from '../src/server/lib/clock.ts';
import { createLogger } from '../src/server/lib/logger.ts';
import { produceReport } from '../src/server/modules/reports/index.ts';
import { createWorkspaceWithOwner } from '../src/server/modules/users/index.ts';
import { closeServices, createServices } from '../src/server/services.ts';

const questions = [
  '请问今天下单什么时候发货',
  '我的快递好几天没更新了',
  '衣服尺码不合适怎么退换',
  '退款什么时候到账',
  '可以开发票吗',
  '有优惠券吗',
  '收到的商品有破损',
  '怎么修改收货地址',
];

/** A full collection now (`gc()` without starting node with --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function seed(
  s: ReturnType<typeof createServices>,
  ws: string,
  n: number,
  start: number,
  span: number,
): Promise<void> {
  const pgEngine = s.engine === 'postgres';
  const now = new Date().toISOString();
  await sql`insert into inboxes (id, workspace_id, public_id, name, channel, settings, identity_secret, created_at, updated_at)
    values ('inb_bench', ${ws}, 'pub_bench', '官网', 'web', '{}', '', ${now}, ${now})`.execute(s.db);
  await sql`insert into customers (id, workspace_id, notes, created_at, updated_at) values ('cus_bench', ${ws}, '', ${now}, ${now})`.execute(
    s.db,
  );
  const step = Math.floor(span / n);
  // i: conversation number; its times in seconds since the epoch.
  const iso = (secs: string) =>
    pgEngine
      ? `to_char(to_timestamp(${secs}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : `strftime('%Y-%m-%dT%H:%M:%fZ', ${secs}, 'unixepoch')`;
  const series = (count: number) =>
    pgEngine
      ? `generate_series(0, ${count - 1}) as g(i)`
      : `(with recursive g(i) as (select 0 union all select i + 1 from g where i < ${count - 1}) select i from g) g`;
  const created = `(${start / 1000} + i * ${step / 1000})`;
  const pad = (e: string) => (pgEngine ? `lpad((${e})::text, 8, '0')` : `printf('%08d', ${e})`);
  const mod = (a: string, b: number) => (pgEngine ? `mod(${a}, ${b})` : `(${a} % ${b})`);
  await sql
    .raw(
      `insert into conversations (id, workspace_id, inbox_id, customer_id, status, assignee_id, last_seq, last_public_seq,
        last_message_at, last_message_preview, agent_last_read_seq, customer_last_read_seq, snoozed_until, ticket_id, created_at, updated_at)
       select 'cnv_b' || ${pad('i')}, '${ws}', 'inb_bench', 'cus_bench', 'resolved', null, 10, 10,
        ${iso(`${created} + 600`)}, 'ok', 10, 10, null, null, ${iso(created)}, ${iso(`${created} + 660`)}
       from ${series(n)}`,
    )
    .execute(s.db);
  // Ten messages each, in batches of 50,000 conversations (PostgreSQL's and SQLite's memory).
  const batch = 50_000;
  for (let from = 0; from < n; from += batch) {
    const count = Math.min(batch, n - from);
    const i = `(g.i / 10 + ${from})`;
    const j = mod('g.i', 10);
    const cases = questions.map((q, k) => `when ${k} then '${q}'`).join(' ');
    await sql
      .raw(
        `insert into messages (id, workspace_id, conversation_id, seq, prev_public_seq, client_id, sender_type, sender_id,
          sender_name, kind, body, attachments, created_at)
         select 'msg_b' || ${pad(i)} || '_' || ${j}, '${ws}', 'cnv_b' || ${pad(i)}, ${j} + 1, ${j}, null,
          case when ${mod('g.i', 2)} = 0 then 'customer' else 'agent' end,
          case when ${mod('g.i', 2)} = 0 then 'cus_bench' else 'usr_b' || ${mod(i, 40)} end, null, 'text',
          case when ${j} = 0 then (case ${mod(i, questions.length)} ${cases} end)
            || (case when ${mod(i, 2)} = 1 then '，订单号 ' || (${i} + 20261100000000) else '' end)
            else '好的，谢谢' end, '[]',
          ${iso(`(${start / 1000} + ${i} * ${step / 1000}) + ${j} * 60 + ${mod(i, 7)} * 10`)}
         from ${series(count * 10)}`,
      )
      .execute(s.db);
    await sql
      .raw(
        `insert into audit_log (id, workspace_id, actor_type, actor_id, actor_name, action, object_type, object_id, ip, data, created_at)
         select 'aud_b' || ${pad(`g.i + ${from}`)}, '${ws}', 'user', 'usr_b1', null, 'conversation.updated', 'conversation',
          'cnv_b' || ${pad(`g.i + ${from}`)}, null, '{"status":{"from":"open","to":"resolved"}}',
          ${iso(`(${start / 1000} + (g.i + ${from}) * ${step / 1000}) + 660`)}
         from ${series(count)}`,
      )
      .execute(s.db);
  }
}

async function run(engine: 'sqlite' | 'postgres', quick: boolean): Promise<void> {
  const n = quick ? 30_000 : 300_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-rep-'));
  const databaseUrl =
    engine === 'postgres'
      ? (process.env.KEFU_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
      : undefined;
  const schema = `bench_reports_${randomBytes(4).toString('hex')}`;
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const { config } = loadConfig({
    env: {},
    flags: {
      dataDir,
      demo: false,
      logLevel: 'silent',
      secretKey: randomBytes(32).toString('hex'),
      ...(databaseUrl ? { databaseUrl } : {}),
    },
  });
  const clock = manualClock('2026-12-02T00:00:00Z');
  const s = createServices(config, { clock, log: createLogger('silent'), pgSchema: databaseUrl ? schema : undefined });
  try {
    await migrateToLatest(s.db);
    const { workspace } = await createWorkspaceWithOwner(s, {
      name: 'Busy shop',
      slug: 'busy',
      timezone: 'Asia/Shanghai',
      defaultLanguage: 'zh-CN',
      admin: {
        email: 'owner@busy.example',
        name: 'Owner',
        password: 'bench-password-123',
        installationOwner: true,
        role: 'owner',
      },
    });
    const start = Date.parse('2026-10-31T16:00:00Z'); // 2026-11-01 00:00 in Shanghai
    const t0 = performance.now();
    await seed(s, workspace.id, n, start, 30 * 86_400_000 - 3600_000);
    // Statistics and visibility as a month-old installation has them (the server runs `optimize`
    // hourly; autovacuum vacuums and analyses). A bare `analyze` leaves the 3 million fresh rows to
    // autovacuum, which can then run during the report and take a core from the main thread.
    if (engine === 'postgres') await sql`vacuum analyze`.execute(s.db);
    else await optimize(s.db);
    const seedS = (performance.now() - t0) / 1000;
    // The seeding's garbage is this bench's, not the server's: collect it now, so a collection of
    // it is not counted as a block of the report (a PostgreSQL run once showed one of ~55 ms).
    collectGarbage();

    // The same measures over 5 s of doing nothing first: on a loaded machine the OS alone delays the loop.
    const idle = monitorEventLoopDelay({ resolution: 1 });
    let idleGap = 0;
    let idleLast = performance.now();
    const idleTicker = setInterval(() => {
      const t = performance.now();
      idleGap = Math.max(idleGap, t - idleLast - 5);
      idleLast = t;
    }, 5);
    idle.enable();
    await new Promise((r) => setTimeout(r, 5000));
    idle.disable();
    clearInterval(idleTicker);
    const loop = monitorEventLoopDelay({ resolution: 1 });
    let worstGap = 0;
    let last = performance.now();
    // Gaps over 15 ms, with their monotonic time (µs, the clock of a --cpu-prof profile's timestamps).
    const gaps: string[] = [];
    const ticker = setInterval(() => {
      const t = performance.now();
      if (t - last - 5 > 15)
        gaps.push(`${(t - last - 5).toFixed(1)} ms ending at hrtime ${process.hrtime.bigint() / 1000n} µs`);
      worstGap = Math.max(worstGap, t - last - 5);
      last = t;
    }, 5);
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    loop.enable();
    const r = await produceReport(s, workspace.id, 'monthly-cs', '2026-11', 'cli');
    loop.disable();
    const wall = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(ticker);
    if (gaps.length > 0) console.log(`main-thread gaps over 15 ms: ${gaps.join('; ')}`);
    const ms = (v: number) => (v / 1e6).toFixed(1);
    console.log(
      `${engine}: ${n.toLocaleString('en-US')} conversations, ${(n * 10).toLocaleString('en-US')} messages (seeded in ${seedS.toFixed(0)} s): ` +
        `monthly CS report in ${wall.toFixed(1)} s wall, process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s ` +
        `(${(((cpu.user + cpu.system) / n) * 1).toFixed(0)} µs per conversation); created=${r.document.summary.created}, ` +
        `document ${(JSON.stringify(r.document).length / 1024).toFixed(0)} KiB; main event loop while it ran: ` +
        `delay p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms, worst 5 ms-ticker gap ${worstGap.toFixed(1)} ms ` +
        `(idle baseline: p99 ${ms(idle.percentile(99))} ms, max ${ms(idle.max)} ms, gap ${idleGap.toFixed(1)} ms) ` +
        `(shared machine, load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
    );
  } finally {
    await closeServices(s);
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    }
  }
}

export async function reports(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const i = args.indexOf('--engine');
  const engines = i >= 0 ? [args[i + 1] as 'sqlite' | 'postgres'] : (['sqlite', 'postgres'] as const);
  for (const e of engines) await run(e, quick);
}
