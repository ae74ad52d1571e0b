/**
 * `npm run bench -- routing --in-process [--conversations 5000] [--agents 200] [--capacity 5] [--seconds 10]
 * [--drain-rate 500] [--depth-probe 4000] [--database-url postgres://…] [--out FILE]`
 *
 * A promotion burst against routing, in this process on Kefu's services (the embedded SQLite by
 * default, PostgreSQL with --database-url): `agents` online agents with `capacity` chats each;
 * `conversations` arrivals spread evenly over `seconds` (each through `arrive`, the path the
 * `conversation.created` listener takes, with the assigner lock); then agents resolve at
 * `drain-rate` per second until the queue is empty. Measured: assignment latency from arrival
 * (for those assigned at once), queue-position updates (every arrival is a shopper connected to
 * this node: per frame the gateway's own QueueNotices sends, from the queue change it reports to
 * the frame leaving; frames counted), throughput, and from the database afterwards: double
 * assignments, agents over capacity, and conversations that left the queue out of order. Last,
 * with every agent busy, `depth-probe` arrivals one at a time: CPU and wall time of an arrival by
 * how many already wait (flat: nothing on the arrival path scans the queue).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/server/config.ts';
import { newId } from '../../src/server/lib/ids.ts';
import { createLogger } from '../../src/server/lib/logger.ts';
import type { Conn } from '../../src/server/realtime/connect.ts';
import { QueueNotices } from '../../src/server/realtime/queue-notices.ts';
import { allTables } from '../../src/server/testing/harness.ts';
import { closeServices, createServices, prepare } from '../../src/server/services.ts';
import { arrive, finish } from '../../src/server/modules/routing/index.ts';
import { createWorkspaceWithOwner } from '../../src/server/modules/users/index.ts';
import { percentile } from '../server.ts';
import { assignmentOrder } from './checks.ts';

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export async function routingInProcess(args: string[]): Promise<void> {
  const total = Number(option(args, 'conversations', '5000'));
  const agentCount = Number(option(args, 'agents', '200'));
  const capacity = Number(option(args, 'capacity', '5'));
  const seconds = Number(option(args, 'seconds', '10'));
  const drainRate = Number(option(args, 'drain-rate', '500'));
  const databaseUrl = option(args, 'database-url', '') || undefined;
  const out = option(args, 'out', '');
  const depthProbe = Number(option(args, 'depth-probe', '4000'));
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-routing-'));
  const { config } = loadConfig({
    env: {},
    flags: { dataDir, databaseUrl, logLevel: 'silent', demo: false, secretKey: randomBytes(32).toString('hex') },
  });
  const s = createServices(config, { log: createLogger('silent') });
  try {
    await prepare(s);
    const db = allTables(s);
    const { workspace, admin: owner } = await createWorkspaceWithOwner(s, {
      name: 'Bench',
      slug: `bench-${randomBytes(3).toString('hex')}`,
      timezone: 'Asia/Shanghai',
      defaultLanguage: 'zh-CN',
      admin: {
        email: `bench-${randomBytes(3).toString('hex')}@example.com`,
        name: 'Bench',
        password: 'bench-password-123',
        role: 'owner',
      },
    });
    const ws = workspace.id;
    const now = new Date().toISOString();
    const template = await db.selectFrom('users').selectAll().where('id', '=', owner.id).executeTakeFirstOrThrow();
    const agents: string[] = [];
    for (let i = 0; i < agentCount; i++) {
      const id = newId('usr');
      agents.push(id);
      await db
        .insertInto('users')
        .values({ ...template, id, email: `agent-${i}-${id}@example.com`, name: `客服${i}`, role: 'agent' })
        .execute();
    }
    await db
      .insertInto('routing_rules')
      .values({
        workspace_id: ws,
        inbox_id: '*',
        definition: JSON.stringify({ enabled: true, strategy: 'least_busy', defaultCapacityChat: capacity }),
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('routing_agents')
      .values(
        agents.map((id) => ({
          user_id: id,
          workspace_id: ws,
          status: 'online',
          presence: 'online',
          presence_since: now,
          connections: 1,
          disconnected_at: null,
          capacity_chat: capacity,
          capacity_ticket: 20,
          load_chat: 0,
          load_ticket: 0,
          skills: '[]',
          last_assigned_at: null,
          last_input_at: null,
          auto_away: 0,
          updated_at: now,
        })),
      )
      .execute();
    // Every arrival is a shopper connected to this node: the notices really build and send their frames.
    const byConv = new Map<string, Set<Conn>>();
    let frames = 0;
    const notices = new QueueNotices(s, {
      byConv,
      send: (_c, f) => {
        frames++;
        JSON.parse(f);
      },
    });
    const stopNotices = await notices.start();

    // Who holds what, as the assigner reported it: an item given again while held is a double assignment.
    const holder = new Map<string, string>();
    let doubleAssignments = 0;
    const record = (made: { itemId: string; agentId: string }[]) => {
      for (const m of made) {
        if (holder.has(m.itemId)) doubleAssignments++;
        holder.set(m.itemId, m.agentId);
      }
    };
    const latencies: number[] = [];
    let overCapacity = 0;
    const sampleCapacity = async () => {
      const over = await db
        .selectFrom('routing_agents')
        .select('user_id')
        .where('workspace_id', '=', ws)
        .whereRef('load_chat', '>', 'capacity_chat')
        .execute();
      overCapacity = Math.max(overCapacity, over.length);
    };

    // The burst: arrivals spread evenly over `seconds`, each one not waiting for the previous, each
    // started in its own turn of the event loop as a request would be (node:sqlite answers at once,
    // so arrivals started together would run as one chain of microtasks and starve every timer,
    // the queue notices' included, until the last one finished).
    const ids = Array.from({ length: total }, () => newId('cnv'));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const gap = (seconds * 1000) / total;
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + i * gap;
      const wait = due - performance.now();
      await (wait > 1 ? new Promise((r) => setTimeout(r, wait)) : nextTurn());
      const id = ids[i];
      byConv.set(id, new Set([{ kind: 'customer', workspaceId: ws } as Conn]));
      pending.push(
        (async () => {
          const a = performance.now();
          const made = await arrive(s, { workspaceId: ws, id, kind: 'chat', inboxId: null, customerId: null });
          record(made);
          if (made.some((m) => m.itemId === id)) latencies.push(performance.now() - a);
        })(),
      );
      if (i % 500 === 0) pending.push(sampleCapacity());
    }
    await Promise.all(pending);
    const burstSecs = (performance.now() - t0) / 1000;
    const burstCpu = process.cpuUsage(cpu0);
    const burstCpuPercent = ((burstCpu.user + burstCpu.system) / 1000 / (burstSecs * 1000)) * 100;
    const framesInBurst = frames;
    const assigned = holder.size;
    const queued = total - assigned;

    // Drain: agents resolve their oldest chat at `drainRate` per second until nothing waits.
    const dCpu0 = process.cpuUsage();
    const d0 = performance.now();
    let resolved = 0;
    for (;;) {
      const held = [...holder.keys()];
      if (!held.length) break;
      const batch = held.slice(0, Math.max(1, Math.round(drainRate / 10)));
      const b0 = performance.now();
      await Promise.all(
        batch.map(async (id) => {
          await nextTurn();
          holder.delete(id);
          const made = await finish(s, ws, id);
          resolved++;
          if (made) record(made);
        }),
      );
      await sampleCapacity();
      const left = 100 - (performance.now() - b0);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
    const drainSecs = (performance.now() - d0) / 1000;
    const drainCpu = process.cpuUsage(dCpu0);
    await new Promise((r) => setTimeout(r, 600)); // the last queue notices
    await stopNotices();

    // Order: among conversations that waited, first assignment follows arrival (priority is equal here).
    const rows = await db
      .selectFrom('routing_items')
      .select(['id', 'arrived_at', 'first_assigned_at'])
      .where('workspace_id', '=', ws)
      .orderBy('arrived_at')
      .orderBy('id')
      .execute();
    const { outOfOrder, neverAssigned: notAssigned } = assignmentOrder(rows);

    // What one arrival costs by how many wait already, nobody having room (every agent busy): one
    // at a time, CPU and wall time per arrival in bands of 1,000. Flat when nothing scans the queue;
    // CPU time holds on a shared machine where wall time does not.
    await db
      .updateTable('routing_agents')
      .set({ status: 'busy', presence: 'busy' })
      .where('workspace_id', '=', ws)
      .execute();
    const bands: { cpu: number[]; wall: number[] }[] = [];
    for (let i = 0; i < depthProbe; i++) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      await arrive(s, { workspaceId: ws, id: newId('cnv'), kind: 'chat', inboxId: null, customerId: null });
      const c = process.cpuUsage(c0);
      const band = (bands[Math.floor(i / 1000)] ??= { cpu: [], wall: [] });
      band.cpu.push((c.user + c.system) / 1000);
      band.wall.push(performance.now() - w0);
    }
    const p50 = (xs: number[]) =>
      round(
        percentile(
          [...xs].sort((a, b) => a - b),
          50,
        ) * 100,
      ) / 100;
    const arriveByDepth = bands.map((b, i) => ({ waiting: i * 1000, cpuP50Ms: p50(b.cpu), wallP50Ms: p50(b.wall) }));
    latencies.sort((a, b) => a - b);
    const updates = [...notices.delays].sort((a, b) => a - b);
    const summary = {
      engine: s.engine,
      conversations: total,
      agents: agentCount,
      capacity,
      assigned,
      queued,
      neverAssigned: notAssigned,
      doubleAssignments,
      overCapacity,
      outOfOrder,
      assignP50Ms: round(percentile(latencies, 50)),
      assignP99Ms: round(percentile(latencies, 99)),
      queueUpdateP99Ms: round(percentile(updates, 99)),
      queueUpdates: updates.length,
      queueFrames: frames,
      queueFramesInBurst: framesInBurst,
      queueFramesPaced: notices.counts.paced,
      queueFlushes: notices.counts.flushes,
      arriveByDepth,
      burstCpuPercent: round(burstCpuPercent),
      // CPU of this process (routing and the queue notices' reads and frames together) per unit of work:
      // the figure that survives a loaded machine.
      cpuMsPerArrival: round2((burstCpu.user + burstCpu.system) / 1000 / total),
      cpuMsPerResolution: round2((drainCpu.user + drainCpu.system) / 1000 / Math.max(1, resolved)),
      burstSeconds: round(burstSecs),
      arrivalsPerSecond: round(total / burstSecs),
      drainSeconds: round(drainSecs),
      resolutionsPerSecond: round(resolved / drainSecs),
    };
    console.log(
      `routing (${s.engine}): ${total} arrivals in ${summary.burstSeconds} s against ${agentCount} agents × ${capacity}: ` +
        `${assigned} assigned at once, ${queued} queued; assign p50 ${summary.assignP50Ms} ms, p99 ${summary.assignP99Ms} ms; ` +
        `queue updates p99 ${summary.queueUpdateP99Ms} ms (${frames} frames, ${framesInBurst} in the burst); ` +
        `a queued arrival (CPU p50 by waiting) ${arriveByDepth.map((b) => `${b.waiting}: ${b.cpuP50Ms} ms`).join(', ')}; ` +
        `burst CPU ${summary.burstCpuPercent} % (${summary.cpuMsPerArrival} ms per arrival); ` +
        `drained ${resolved} resolutions in ${summary.drainSeconds} s (${summary.cpuMsPerResolution} ms CPU each); ` +
        `double ${doubleAssignments}, over capacity ${overCapacity}, out of order ${outOfOrder}, never assigned ${notAssigned}`,
    );
    if (out) writeFileSync(out, `${JSON.stringify({ summary }, null, 2)}\n`);
  } finally {
    await closeServices(s);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));
const round = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
