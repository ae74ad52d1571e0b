/**
 * The bench month (`npm run bench -- reports`), bulk-seeded in SQL (generate_series on
 * PostgreSQL, a recursive CTE on SQLite) into the modules' real tables:
 * - 40 agents in 6 teams (客服组; `users`, `groups`, `group_members`), each conversation routed to
 *   its agent's team (`routing_items`, kind chat, done);
 * - n conversations created evenly over the month, ten messages each (shopper and agent in turn;
 *   the shopper's first message from the weighted pool of reports-kb.ts, every other one with its
 *   own order number, so half of the first messages are distinct texts), each resolved in the
 *   audit log 11 minutes after it began;
 * - a CSAT request on every resolution (the survey copied from one real request made by the csat
 *   module's `askForRating`), a rating on 20 % of them, 2–21 minutes after the request.
 * Conversation i: agent `usr_b{i mod 40}`, created at start + i · step.
 */
import { sql } from 'kysely';
import type { Services } from '../src/server/context.ts';
import { askForRating } from '../src/server/modules/csat/index.ts';
import { firstMessageSlots } from './reports-kb.ts';

export type Sql = {
  pg: boolean;
  iso: (secs: string) => string;
  series: (count: number) => string;
  pad: (e: string) => string;
  mod: (a: string, b: number) => string;
};

export function sqlHelpers(engine: string): Sql {
  const pg = engine === 'postgres';
  return {
    pg,
    iso: (secs) =>
      pg
        ? `to_char(to_timestamp(${secs}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        : `strftime('%Y-%m-%dT%H:%M:%fZ', ${secs}, 'unixepoch')`,
    series: (count) =>
      pg
        ? `generate_series(0, ${count - 1}) as g(i)`
        : `(with recursive g(i) as (select 0 union all select i + 1 from g where i < ${count - 1}) select i from g) g`,
    pad: (e) => (pg ? `lpad((${e})::text, 8, '0')` : `printf('%08d', ${e})`),
    mod: (a, b) => (pg ? `mod(${a}, ${b})` : `((${a}) % ${b})`),
  };
}

/** The six teams and how many of the 40 agents each has (agents 0–11 the first team, …). */
export const teams: [string, number][] = [
  ['售前组', 12],
  ['售后组', 10],
  ['物流组', 6],
  ['投诉组', 4],
  ['大客户组', 4],
  ['夜班组', 4],
];
export const AGENTS = 40;
const teamOfAgent = (a: number) => {
  let k = 0;
  for (const [i, [, size]] of teams.entries()) {
    if (a < k + size) return i;
    k += size;
  }
  return teams.length - 1;
};
/** SQL: the group id of agent expression `a`. */
const groupCase = (a: string) => {
  let k = 0;
  const whens = teams.map(([, size], i) => `when ${a} < ${(k += size)} then 'grp_b${i}'`);
  return `case ${whens.join(' ')} end`;
};

export async function seedPeopleAndTeams(s: Services, ws: string, ownerId: string): Promise<void> {
  const now = s.clock.now().toISOString();
  const hash = await sql<{ h: string }>`select password_hash as h from users where id = ${ownerId}`.execute(s.db);
  for (let a = 0; a < AGENTS; a++)
    await sql`insert into users (id, workspace_id, email, name, display_name, avatar_attachment_id, avatar_color, role,
        password_hash, disabled, installation_owner, totp_secret, totp_enabled, totp_last_step, must_change_password,
        failed_logins, locked_until, last_login_at, last_active_at, created_at, updated_at)
      values (${`usr_b${a}`}, ${ws}, ${`agent${a}@busy.example`}, ${`客服${String(a + 1).padStart(2, '0')}`},
        ${`小${'甲乙丙丁戊己庚辛壬癸'[a % 10]}${Math.floor(a / 10) + 1}`}, null, null, 'agent', ${hash.rows[0]!.h}, 0, 0,
        null, 0, null, 0, 0, null, null, null, ${now}, ${now})`.execute(s.db);
  for (const [i, [name]] of teams.entries())
    await sql`insert into groups (id, workspace_id, name, supervisor_id, created_at, updated_at)
      values (${`grp_b${i}`}, ${ws}, ${name}, null, ${now}, ${now})`.execute(s.db);
  for (let a = 0; a < AGENTS; a++)
    await sql`insert into group_members (group_id, workspace_id, user_id) values (${`grp_b${teamOfAgent(a)}`}, ${ws}, ${`usr_b${a}`})`.execute(
      s.db,
    );
}

/** Conversations, messages, resolutions, routing to teams. */
export async function seedConversations(
  s: Services,
  ws: string,
  n: number,
  start: number,
  span: number,
): Promise<void> {
  const { iso, series, pad, mod } = sqlHelpers(s.engine);
  const now = s.clock.now().toISOString();
  await sql`insert into inboxes (id, workspace_id, public_id, name, channel, settings, identity_secret, created_at, updated_at)
    values ('inb_bench', ${ws}, 'pub_bench', '官网', 'web', '{}', '', ${now}, ${now})`.execute(s.db);
  await sql`insert into customers (id, workspace_id, notes, created_at, updated_at) values ('cus_bench', ${ws}, '', ${now}, ${now})`.execute(
    s.db,
  );
  // The first messages' pool as a lookup table for the INSERT … SELECT (dropped at the end).
  await sql`create table bench_first_texts (k integer primary key, body text not null)`.execute(s.db);
  const slots = firstMessageSlots();
  for (let k = 0; k < slots.length; k += 200)
    await sql`insert into bench_first_texts (k, body) values ${sql.join(
      slots.slice(k, k + 200).map((b, j) => sql`(${k + j}, ${b})`),
    )}`.execute(s.db);
  const step = Math.floor(span / n);
  const created = `(${start / 1000} + i * ${step / 1000})`;
  await sql
    .raw(
      `insert into conversations (id, workspace_id, inbox_id, customer_id, status, assignee_id, last_seq, last_public_seq,
        last_message_at, last_message_preview, agent_last_read_seq, customer_last_read_seq, snoozed_until, ticket_id, created_at, updated_at)
       select 'cnv_b' || ${pad('i')}, '${ws}', 'inb_bench', 'cus_bench', 'resolved', 'usr_b' || ${mod('i', AGENTS)}, 10, 10,
        ${iso(`${created} + 600`)}, 'ok', 10, 10, null, null, ${iso(created)}, ${iso(`${created} + 660`)}
       from ${series(n)}`,
    )
    .execute(s.db);
  await sql
    .raw(
      `insert into routing_items (id, workspace_id, kind, inbox_id, group_id, customer_id, state, priority, skills, arrived_at,
        agent_id, assigned_at, first_assigned_at, done_at, wait_reason, version, last_agent_id, last_done_at)
       select 'cnv_b' || ${pad('i')}, '${ws}', 'chat', 'inb_bench', ${groupCase(mod('i', AGENTS))}, 'cus_bench', 'done', 0, '[]',
        ${iso(created)}, 'usr_b' || ${mod('i', AGENTS)}, ${iso(`${created} + 5`)}, ${iso(`${created} + 5`)},
        ${iso(`${created} + 660`)}, null, 3, null, null
       from ${series(n)}`,
    )
    .execute(s.db);
  // Ten messages each, in batches of 50,000 conversations (PostgreSQL's and SQLite's memory).
  const batch = 50_000;
  for (let from = 0; from < n; from += batch) {
    const count = Math.min(batch, n - from);
    const i = `(g.i / 10 + ${from})`;
    const j = mod('g.i', 10);
    await sql
      .raw(
        `insert into messages (id, workspace_id, conversation_id, seq, prev_public_seq, client_id, sender_type, sender_id,
          sender_name, kind, body, attachments, created_at)
         select 'msg_b' || ${pad(i)} || '_' || ${j}, '${ws}', 'cnv_b' || ${pad(i)}, ${j} + 1, ${j}, null,
          case when ${mod('g.i', 2)} = 0 then 'customer' else 'agent' end,
          case when ${mod('g.i', 2)} = 0 then 'cus_bench' else 'usr_b' || ${mod(i, AGENTS)} end, null, 'text',
          case when ${j} = 0 then (select body from bench_first_texts where k = ${mod(`${mod(i, 1000)} * 7919`, 1000)})
            || (case when ${mod(i, 2)} = 1 then '，订单号 ' || (${i} + 20261100000000) else '' end)
            else '好的，谢谢' end, '[]',
          ${iso(`(${start / 1000} + ${i} * ${step / 1000}) + ${j} * 60 + ${mod(i, 7)} * 10`)}
         from ${series(count * 10)}`,
      )
      .execute(s.db);
    await sql
      .raw(
        `insert into audit_log (id, workspace_id, actor_type, actor_id, actor_name, action, object_type, object_id, ip, data, created_at)
         select 'aud_b' || ${pad(`g.i + ${from}`)}, '${ws}', 'user', 'usr_b' || ${mod(`g.i + ${from}`, AGENTS)}, null,
          'conversation.updated', 'conversation', 'cnv_b' || ${pad(`g.i + ${from}`)}, null, '{"status":{"from":"open","to":"resolved"}}',
          ${iso(`(${start / 1000} + (g.i + ${from}) * ${step / 1000}) + 660`)}
         from ${series(count)}`,
      )
      .execute(s.db);
  }
  await sql`drop table bench_first_texts`.execute(s.db);
}

/**
 * A CSAT request on every resolution, rated on 20 %: scores 5 (60 %), 4 (20 %), 3 (8 %), 2 (5 %),
 * 1 (7 %). Conversation 0's request is the csat module's own (`askForRating`), moved to its
 * resolution time; the others copy its survey. Returns the number of ratings.
 */
export async function seedCsat(s: Services, ws: string, n: number, start: number, span: number): Promise<number> {
  const { iso, series, pad, mod } = sqlHelpers(s.engine);
  const real = await askForRating(s, ws, { type: 'conversation', id: 'cnv_b00000000' }, null);
  if (!real) throw new Error('bench: the csat module did not ask for a rating (survey off?)');
  const ttl = Date.parse(real.expires_at) - Date.parse(real.created_at);
  const step = Math.floor(span / n);
  const asked = `(${start / 1000} + i * ${step / 1000} + 660)`;
  const rated = `${mod('i * 37', 100)} < 20`;
  // Independent of whether it is rated (which depends on i mod 100 alone).
  const k = mod('(i / 100) * 31 + i', 100);
  const score = `case when ${k} < 60 then 5 when ${k} < 80 then 4 when ${k} < 88 then 3 when ${k} < 93 then 2 else 1 end`;
  await sql`delete from csat_requests where id = ${real.id}`.execute(s.db);
  await sql
    .raw(
      `insert into csat_requests (id, workspace_id, subject_type, subject_id, conversation_id, inbox_id, customer_id, agent_id,
        survey, requested_by, created_at, expires_at, superseded_at, rated_at, score, comment, answers, via)
       select 'csr_b' || ${pad('i')}, '${ws}', 'conversation', 'cnv_b' || ${pad('i')}, 'cnv_b' || ${pad('i')}, 'inb_bench',
        'cus_bench', 'usr_b' || ${mod('i', AGENTS)}, '${real.survey.replaceAll("'", "''")}', null, ${iso(asked)},
        ${iso(`${asked} + ${ttl / 1000}`)}, null,
        case when ${rated} then ${iso(`${asked} + 120 + ${mod('i', 20)} * 60`)} else null end,
        case when ${rated} then ${score} else null end, null,
        case when ${rated} then '{}' else null end, case when ${rated} then 'widget' else null end
       from ${series(n)}`,
    )
    .execute(s.db);
  const c = await sql<{
    n: number;
  }>`select count(*) as n from csat_requests where workspace_id = ${ws} and rated_at is not null`.execute(s.db);
  return Number(c.rows[0]!.n);
}
