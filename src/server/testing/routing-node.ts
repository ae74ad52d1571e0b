/**
 * One Kefu node for routing's invariant test: a separate OS process with its own services (its
 * own PostgreSQL pool, Redis bus connection and event dispatcher) on the shared database, firing
 * arrivals (real conversations: their `conversation.created` listener queues them), resolutions,
 * transfers and presence changes at random, as fast as it can, with `concurrency` in flight.
 * Prints one JSON line with what it did. Run: `node src/server/testing/routing-node.ts` with the
 * job in KEFU_ROUTING_NODE (JSON).
 */
import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { createLogger } from '../lib/logger.ts';
import { conversationForCustomer } from '../modules/conversations/index.ts';
import { customerForVisitor } from '../modules/customers/index.ts';
import { agentConnected, agentDisconnected, finish } from '../modules/routing/index.ts';
import { graceEnded } from '../modules/routing/presence.ts';
import { transfer } from '../modules/routing/transfer.ts';
import { closeServices, createServices } from '../services.ts';
import { allTables } from './harness.ts';

export type NodeJob = {
  node: string;
  dataDir: string;
  databaseUrl: string;
  pgSchema?: string;
  redisUrl: string;
  secretKey: string;
  workspaceId: string;
  inboxId: string;
  owner: { userId: string; name: string };
  agents: string[];
  arrivals: number;
  resolutions: number;
  transfers: number;
  presenceChanges: number;
  concurrency: number;
};

export type NodeResult = {
  node: string;
  arrivals: number;
  resolutions: number;
  transfers: number;
  transfersRefused: number;
  presenceChanges: number;
  errors: string[];
  ms: number;
};

const job = JSON.parse(process.env.KEFU_ROUTING_NODE ?? '{}') as NodeJob;
const { config } = loadConfig({
  env: {},
  flags: {
    dataDir: job.dataDir,
    databaseUrl: job.databaseUrl,
    redisUrl: job.redisUrl,
    logLevel: 'silent',
    demo: false,
    secretKey: job.secretKey,
  },
});
const s = createServices(config, { pgSchema: job.pgSchema, log: createLogger('silent') });
const actor: Actor = {
  type: 'user',
  userId: job.owner.userId,
  workspaceId: job.workspaceId,
  name: job.owner.name,
  email: '',
  role: 'owner',
  installationOwner: false,
  permissions: [],
};
const ctx: Ctx = { ...s, actor, ip: null };
const db = allTables(s);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const result: NodeResult = {
  node: job.node,
  arrivals: 0,
  resolutions: 0,
  transfers: 0,
  transfersRefused: 0,
  presenceChanges: 0,
  errors: [],
  ms: 0,
};

async function someItem(state: string): Promise<string | null> {
  const rows = await db
    .selectFrom('routing_items')
    .select('id')
    .where('workspace_id', '=', job.workspaceId)
    .where('state', '=', state)
    .orderBy(sql`random()`)
    .limit(1)
    .execute();
  return rows[0]?.id ?? null;
}

let arrivalNo = 0;
const ops: (() => Promise<void>)[] = [];
for (let i = 0; i < job.arrivals; i++)
  ops.push(async () => {
    const visitorId = `${job.node}-visitor-${String(++arrivalNo).padStart(10, '0')}`;
    const c = await customerForVisitor(s, { workspaceId: job.workspaceId, visitorId });
    await conversationForCustomer(s, job.workspaceId, job.inboxId, c.id, true);
    result.arrivals++;
  });
for (let i = 0; i < job.resolutions; i++)
  ops.push(async () => {
    const id = await someItem('assigned');
    if (id && (await finish(s, job.workspaceId, id)) !== null) result.resolutions++;
  });
for (let i = 0; i < job.transfers; i++)
  ops.push(async () => {
    const id = await someItem(Math.random() < 0.8 ? 'assigned' : 'queued');
    if (!id) return;
    try {
      await transfer(ctx, id, { agentId: pick(job.agents) });
      result.transfers++;
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409 || err.code === 'routing_conflict') throw err;
      result.transfersRefused++;
    }
  });
for (let i = 0; i < job.presenceChanges; i++)
  ops.push(async () => {
    const agent = pick(job.agents);
    if (Math.random() < 0.5) await agentConnected(s, job.workspaceId, agent);
    else {
      await agentDisconnected(s, job.workspaceId, agent);
      const row = await db
        .selectFrom('routing_agents')
        .select('disconnected_at')
        .where('user_id', '=', agent)
        .executeTakeFirst();
      // The grace period ends at once here (the job's own test checks the timing).
      if (row?.disconnected_at) await graceEnded(s, job.workspaceId, agent, row.disconnected_at);
    }
    result.presenceChanges++;
  });
// Shuffled, so arrivals, resolutions, transfers and presence changes interleave.
for (let i = ops.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [ops[i], ops[j]] = [ops[j], ops[i]];
}

const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < ops.length) {
      const op = ops[next++];
      try {
        await op();
      } catch (err) {
        result.errors.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
    }
  }),
);
result.ms = Math.round(performance.now() - t0);
await closeServices(s);
process.stdout.write(`${JSON.stringify(result)}\n`);
