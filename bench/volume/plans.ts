/**
 * `npx node bench/volume/plans.ts <kefu.db | postgres://…/db>`: the query plans of the lists,
 * searches and rollups on a database kept by `npm run bench -- volume --keep`. The statements are
 * the ones the modules send (as Kysely compiles them), with the benchmark's values.
 */
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { registerSqliteFunctions } from '../../src/server/db/sqlite-functions.ts';

const target = process.argv[2];
if (!target) throw new Error('usage: plans.ts <kefu.db | postgres://…>');
const pgMode = target.startsWith('postgres');

const queries: [string, string][] = [
  [
    'inbox: all statuses (one scan per status, merged)',
    `select id, updated_at from conversations where workspace_id = $ws and status = 'resolved' order by updated_at desc, id desc limit 31`,
  ],
  [
    'inbox: mine, open',
    `select id, updated_at from conversations where workspace_id = $ws and status = 'open' and assignee_id = $agent order by updated_at desc, id desc limit 31`,
  ],
  [
    'inbox: page 20 (keyset)',
    `select id, updated_at from conversations where workspace_id = $ws and status = 'resolved' and (updated_at, id) < ($u, $id) order by updated_at desc, id desc limit 31`,
  ],
  [
    'inbox: open count (unassigned)',
    `select count(*) from conversations where workspace_id = $ws and status = 'open' and assignee_id is null`,
  ],
  [
    'tickets: all, updated',
    `select id, updated_at from tickets where workspace_id = $ws and merged_into_id is null order by updated_at desc, id desc limit 51`,
  ],
  [
    'tickets: unsolved by deadline (per status)',
    `select id, deadline_sort, number from tickets where workspace_id = $ws and merged_into_id is null and status = 'open' order by deadline_sort, number limit 51`,
  ],
  [
    'tickets: all by priority',
    `select id, priority_rank, updated_at from tickets where workspace_id = $ws and merged_into_id is null order by priority_rank desc, updated_at desc, id desc limit 51`,
  ],
  [
    'tickets: breaching soon (per status)',
    `select id, updated_at from tickets where workspace_id = $ws and merged_into_id is null and deadline_sort <= $soon and status = 'open' order by updated_at desc, id desc limit 51`,
  ],
  [
    'tickets: rare tag (from the tag index)',
    `select id, updated_at from tickets where workspace_id = $ws and merged_into_id is null and id in (select ticket_id from ticket_tags where workspace_id = $ws and tag = '发票') order by updated_at desc, id desc limit 51`,
  ],
  [
    'tickets: common tag (2,000 tickets or more: a probe per ticket in index order)',
    `select id, updated_at from tickets where workspace_id = $ws and merged_into_id is null and exists (select ticket_tags.ticket_id from ticket_tags where ticket_tags.ticket_id = tickets.id and ticket_tags.tag = '发票') order by updated_at desc, id desc limit 51`,
  ],
  ['tickets: order number', `select id from tickets where workspace_id = $ws and order_no = $order limit 500`],
  [
    'inbox search 发票 (hits, newest first)',
    pgMode
      ? `select m.id as pos, m.conversation_id from messages m where m.workspace_id = $ws and (kefu_han_bigrams(m.body) @> array['发票']::text[] and m.body like '%发票%') order by m.id desc limit 200`
      : `select f.rowid as pos, m.conversation_id from messages_fts f join messages m on m.rowid = f.rowid where messages_fts match '"发票"' and m.workspace_id = $ws order by f.rowid desc limit 200`,
  ],
  ...(pgMode
    ? ([
        [
          'inbox search 发票, first among the newest 3,000 messages (PostgreSQL)',
          `select m.id as pos, m.conversation_id from messages m where m.workspace_id = $ws and m.id >= $bottom and (kefu_han_bigrams(m.body) @> array['发票']::text[] and m.body like '%发票%') order by m.id desc limit 62`,
        ],
      ] as [string, string][])
    : []),
  [
    'inbox search 退货地址 (hits, newest first)',
    pgMode
      ? `select m.id as pos, m.conversation_id from messages m where m.workspace_id = $ws and m.body ilike '%退货地址%' order by m.id desc limit 200`
      : `select f.rowid as pos, m.conversation_id from messages_fts f join messages m on m.rowid = f.rowid where messages_fts match '"退货 货地 地址"' and m.workspace_id = $ws order by f.rowid desc limit 200`,
  ],
  [
    'tickets search 发票 (hits, newest first)',
    pgMode
      ? `select ticket_id from ticket_search where workspace_id = $ws and (kefu_han_bigrams(body) @> array['发票']::text[] and body like '%发票%') order by ticket_id desc limit 200`
      : `select f.rowid, s.ticket_id from ticket_search_fts f join ticket_search s on s.rowid = f.rowid where ticket_search_fts match '"发票"' and s.workspace_id = $ws order by f.rowid desc limit 200`,
  ],
  [
    'SLA report (30 days of the rollup)',
    `select target, outcome, bucket, sum(n), sum(minutes_centi) from sla_daily where workspace_id = $ws and subject_type = 'ticket' and day >= $from and day <= $to group by target, outcome, bucket`,
  ],
  ['/metrics backlog', `select status, sum(n) from ticket_status_counts group by status`],
  ['/metrics oldest unsolved', `select created_at from tickets where status = 'open' order by created_at limit 1`],
  [
    'notifications',
    `select * from notifications where user_id = $agent and workspace_id = $ws order by id desc limit 100`,
  ],
  [
    'audit: by action',
    `select * from audit_log where workspace_id = $ws and action = 'ticket.updated' order by id desc limit 51`,
  ],
];

type Exec = (sql: string) => Promise<Record<string, unknown>[]>;

async function main(): Promise<void> {
  let exec: Exec;
  let close: () => Promise<void> | void;
  if (pgMode) {
    const c = new pg.Client({ connectionString: target });
    await c.connect();
    exec = async (q) => (await c.query(q)).rows;
    close = () => c.end();
  } else {
    const db = new DatabaseSync(target);
    registerSqliteFunctions(db);
    exec = async (q) => db.prepare(q).all() as Record<string, unknown>[];
    close = () => db.close();
  }
  const one = async (q: string) => (await exec(q))[0] ?? {};
  const ws = String((await one(`select id from workspaces limit 1`)).id);
  const agent = String((await one(`select id from users where email = 'bench-agent@kefu.local'`)).id);
  const row = await one(
    `select updated_at, id from conversations where status = 'resolved' order by updated_at desc, id desc limit 1 offset 600`,
  );
  const order = String((await one(`select order_no from tickets where order_no is not null limit 1`)).order_no);
  const bottom = String((await one(`select id from messages order by id desc limit 1 offset 2999`)).id);
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const now = Date.now();
  const values: Record<string, string> = {
    $ws: lit(ws),
    $agent: lit(agent),
    $u: lit(String(row.updated_at)),
    $id: lit(String(row.id)),
    $order: lit(order),
    $bottom: lit(bottom),
    $soon: lit(new Date(now + 2 * 3600_000).toISOString()),
    $from: lit(new Date(now - 30 * 86_400_000).toISOString().slice(0, 10)),
    $to: lit(new Date(now).toISOString().slice(0, 10)),
  };
  for (const [name, q] of queries) {
    const sql = q.replace(/\$[a-z]+/g, (k) => values[k] ?? k);
    const plan = pgMode
      ? (await exec(`explain (analyze, buffers off, timing off, summary on) ${sql}`)).map((r) =>
          String(r['QUERY PLAN']),
        )
      : (await exec(`explain query plan ${sql}`)).map((r) => String(r.detail));
    const t = performance.now();
    await exec(sql);
    console.log(`\n#### ${name} (${(performance.now() - t).toFixed(2)} ms)\n\`\`\`\n${plan.join('\n')}\n\`\`\``);
  }
  await close();
}

await main();
