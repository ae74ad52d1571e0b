/**
 * Routing's invariants under concurrency, on PostgreSQL + Redis with two OS processes
 * (testing/routing-node.ts), each with its own pool, bus connection and event dispatcher, firing
 * over two thousand arrivals, resolutions, transfers and presence changes at once (12 in flight per
 * process, so 24 at a time compete for 12 agents' ~36 seats, the whole run long). While they run, this
 * process samples the database for an agent over capacity; afterwards every invariant is checked
 * from the database:
 * - every conversation has one routing item; an assigned item's agent is the conversation's assignee;
 * - no agent holds more than their capacity, and each agent's load is the count of their items;
 * - the assignee history of every conversation (its events in the outbox) is one chain: each
 *   change starts from the previous one's agent, so no conversation was with two agents at once;
 * - nothing waits while an online agent has room.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allTables, pgUrl, redisUrl, testApp, type TestApp } from '../../testing/harness.ts';
import type { NodeJob, NodeResult } from '../../testing/routing-node.ts';
import { nodeCacheEnv } from '../../testing/spawn.ts';
import { agentConnected } from './index.ts';

const script = fileURLToPath(new URL('../../testing/routing-node.ts', import.meta.url));

/** Nodes still running: killed when the file ends (a timed-out test must not leave them at work). */
const nodes = new Set<ChildProcess>();

function runNode(job: NodeJob): Promise<NodeResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script], {
      env: { ...process.env, ...nodeCacheEnv(), KEFU_ROUTING_NODE: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nodes.add(p);
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (out += d));
    p.once('exit', (code) => {
      nodes.delete(p);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`node ${job.node} exited ${code}:\n${out}`));
      resolve(JSON.parse(line) as NodeResult);
    });
  });
}

describe.runIf(Boolean(pgUrl && redisUrl))('routing invariants: two processes on PostgreSQL + Redis', () => {
  let t: TestApp;
  afterAll(async () => {
    for (const p of nodes) p.kill('SIGKILL');
    await t?.close();
  });

  it('never exceeds capacity, never gives a conversation to two agents, leaves nothing waiting beside a free seat', async () => {
    t = await testApp('postgres', { config: { redisUrl } });
    const { id: ws, owner } = await t.workspace('peak');
    const inbox = (
      await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    const rule = { enabled: true, strategy: 'least_busy', graceSeconds: 0 };
    expect((await owner.request({ method: 'PUT', url: '/api/routing/rules/*', payload: rule })).statusCode).toBe(200);
    const agents: string[] = [];
    for (let i = 0; i < 12; i++) {
      const a = await t.user(ws, 'agent');
      const capacityChat = 2 + (i % 3);
      const r = await owner.request({
        method: 'PUT',
        url: `/api/routing/agents/${a.actor.userId}`,
        payload: { capacityChat, capacityTicket: 10, skills: [] },
      });
      expect(r.statusCode).toBe(200);
      await agentConnected(t.s, ws, a.actor.userId);
      agents.push(a.actor.userId);
    }
    const base = {
      dataDir: t.env.dataDir,
      databaseUrl: pgUrl!,
      pgSchema: t.env.pgSchema,
      redisUrl: redisUrl!,
      secretKey: t.env.config.secretKey!,
      workspaceId: ws,
      inboxId: inbox.id,
      owner: { userId: owner.actor.userId, name: 'Owner' },
      agents,
      // Per node. The contention is set by the concurrency (24 operations in flight against ~36
      // seats), not by the totals: half of the first version's 1000/700/300/200, which cost twice
      // the database work for the same interleavings.
      arrivals: 500,
      resolutions: 350,
      transfers: 150,
      presenceChanges: 100,
      concurrency: 12,
    };
    const db = allTables(t.s);
    let sampled = 0;
    let overCapacity = 0;
    let running = true;
    const sampler = (async () => {
      while (running) {
        const over = await db
          .selectFrom('routing_agents')
          .select('user_id')
          .where('workspace_id', '=', ws)
          .whereRef('load_chat', '>', 'capacity_chat')
          .execute();
        overCapacity += over.length;
        sampled++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const results = await Promise.all([runNode({ ...base, node: 'a' }), runNode({ ...base, node: 'b' })]);
    running = false;
    await sampler;
    for (const r of results) expect(r.errors, r.node).toEqual([]);
    expect(results.reduce((n, r) => n + r.arrivals, 0)).toBe(1000);
    expect(results.reduce((n, r) => n + r.resolutions, 0)).toBeGreaterThan(150);
    expect(results.reduce((n, r) => n + r.transfers, 0)).toBeGreaterThan(0);
    expect(sampled).toBeGreaterThan(5);
    expect(overCapacity).toBe(0);

    // Every conversation has one item; an assigned item's agent is the conversation's assignee.
    const convs = await db
      .selectFrom('conversations')
      .select(['id', 'assignee_id'])
      .where('workspace_id', '=', ws)
      .execute();
    const items = await db.selectFrom('routing_items').selectAll().where('workspace_id', '=', ws).execute();
    expect(items.length).toBe(convs.length);
    const itemOf = new Map(items.map((i) => [i.id, i]));
    for (const c of convs) {
      const i = itemOf.get(c.id)!;
      expect(i, c.id).toBeTruthy();
      if (i.state === 'assigned') expect(c.assignee_id, c.id).toBe(i.agent_id);
      if (i.state === 'queued') expect(c.assignee_id, c.id).toBeNull();
    }
    // Loads: the count of each agent's assigned items, never above capacity.
    const rows = await db.selectFrom('routing_agents').selectAll().where('workspace_id', '=', ws).execute();
    for (const a of rows) {
      const held = items.filter((i) => i.state === 'assigned' && i.agent_id === a.user_id).length;
      expect(a.load_chat, a.user_id).toBe(held);
      expect(held, a.user_id).toBeLessThanOrEqual(a.capacity_chat);
    }
    // The assignee history of each conversation is one chain (no two agents at once).
    const events = await db
      .selectFrom('outbox')
      .select(['payload', 'seq'])
      .where('workspace_id', '=', ws)
      .where('type', '=', 'conversation.updated')
      .orderBy('seq')
      .execute();
    const lastTo = new Map<string, string | null>();
    let changes = 0;
    for (const e of events) {
      const ev = JSON.parse(e.payload) as {
        objectId: string;
        data: { assignee?: { from: string | null; to: string | null } };
      };
      const change = ev.data.assignee;
      if (!change) continue;
      changes++;
      expect(change.from, `${ev.objectId} at ${e.seq}`).toBe(lastTo.get(ev.objectId) ?? null);
      lastTo.set(ev.objectId, change.to);
    }
    expect(changes).toBeGreaterThan(500);
    for (const c of convs) expect(c.assignee_id).toBe(lastTo.get(c.id) ?? null);
    // Nothing waits while an online agent has room.
    const queued = items.filter((i) => i.state === 'queued').length;
    const room = rows.filter((a) => a.presence === 'online' && a.load_chat < a.capacity_chat).length;
    expect(queued === 0 || room === 0, `${queued} waiting, ${room} agents with room`).toBe(true);
  }, 600_000);
});
