/**
 * `npm run bench -- routing [--shoppers 5000] [--agents 200] [--capacity 5] [--seconds 10]
 * [--drain-rate 100] [--quick] [--no-pin] [--cpu-prof] [--out FILE]`: routing's promotion burst
 * through the real gateway (bench/routing/README.md).
 *
 * A Kefu process (`kefu start`, SQLite in a fresh data folder, pinned to core 0 like the chat
 * benchmark's) routing least-busy with `capacity` chats per agent; `agents` agents signed in and
 * connected over /ws (present, online); then `shoppers` shoppers arrive evenly over `seconds`
 * through the widget's path (session, /ws, hello, first message creating the conversation). This
 * process (pinned to core 1) records every queue frame each shopper receives with its arrival
 * time. Then the agents resolve the assigned chats (PATCH, in the order they were assigned) at
 * `drain-rate` per second until every conversation has been assigned and resolved; last, the
 * server is stopped and the correctness figures are read from its database (checks.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, freePort, signInHttp, startKefuProcess, type KefuProcess } from '../../src/server/testing/spawn.ts';
import { saveProfile, startProfiler } from '../chat/profile.ts';
import { cpuSeconds } from '../chat/stats.ts';
import { percentile } from '../server.ts';
import { checkDatabase } from './checks.ts';
import { arriveShopper, closeHttpAgents, connectAgent, type Shopper } from './clients.ts';
import { drainQueue } from './drain.ts';

export type GatewayOptions = {
  shoppers: number;
  agents: number;
  capacity: number;
  seconds: number;
  drainRate: number;
  /** Pin the server to core 0 and this process to core 1 (two cores or more). */
  pin: boolean;
  /**
   * Profile the server (event loop and the SQLite writer thread, through the inspector) during
   * the burst and, separately, the drain; the .cpuprofile files go to bench/routing/profiles/
   * (`profile-summary.ts` summarises them). Profiling costs CPU: the run's figures are marked.
   */
  cpuProf?: boolean;
  log: (s: string) => void;
};

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export async function gatewayScenario(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const o: GatewayOptions = {
    shoppers: Number(option(args, 'shoppers', option(args, 'conversations', quick ? '300' : '5000'))),
    agents: Number(option(args, 'agents', quick ? '20' : '200')),
    capacity: Number(option(args, 'capacity', '5')),
    seconds: Number(option(args, 'seconds', quick ? '3' : '10')),
    drainRate: Number(option(args, 'drain-rate', quick ? '50' : '100')),
    pin: !args.includes('--no-pin') && availableParallelism() > 1,
    cpuProf: args.includes('--cpu-prof'),
    log: (s) => console.log(s),
  };
  const summary = await runGateway(o);
  const out = option(args, 'out', '');
  if (out) writeFileSync(out, `${JSON.stringify({ summary }, null, 2)}\n`);
}

const round = (n: number) => Math.round(n * 10) / 10;
const p = (xs: number[], q: number) => (xs.length ? round(percentile(xs, q)) : null);

export async function runGateway(o: GatewayOptions) {
  if (o.pin) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-routing-'));
  let k: KefuProcess | undefined;
  const sockets: { close(): void }[] = [];
  const inspectPort = o.cpuProf ? await freePort() : 0;
  const profileDir = join(dirname(fileURLToPath(import.meta.url)), 'profiles');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profilers = new Set<Awaited<ReturnType<typeof startProfiler>>>();
  const startProfiling = async () => {
    const p = await startProfiler(inspectPort, 600_000);
    profilers.add(p);
    return p;
  };
  const saveProfiles = async (profiler: Awaited<ReturnType<typeof startProfiler>>, phase: string) => {
    mkdirSync(profileDir, { recursive: true });
    profilers.delete(profiler);
    for (const [i, { title, profile }] of (await profiler.stop()).entries()) {
      const file = join(profileDir, `routing-${stamp}-${phase}-${i === 0 ? 'main' : `worker${i}`}.cpuprofile`);
      saveProfile(file, profile);
      o.log(`  profile (${phase}, ${title}) saved to ${file}`);
    }
  };
  try {
    k = await startKefuProcess({
      dataDir,
      cpu: o.pin ? 0 : undefined,
      env: {
        KEFU_LOGIN_RATE_PER_MINUTE: '10000',
        ...(o.cpuProf
          ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${inspectPort}`.trim() }
          : {}),
      },
    });
    const url = k.url;
    const pid = k.proc.pid!;
    const admin = await signInHttp(url);
    const me = await api<{ workspace: { id: string } }>(url, admin, 'GET', '/api/auth/me');
    const rule = { enabled: true, strategy: 'least_busy', defaultCapacityChat: o.capacity };
    await api(url, admin, 'PUT', '/api/routing/rules/*', rule);
    const inbox = await api<{ id: string; publicId: string }>(url, admin, 'POST', '/api/inboxes', {
      name: 'Promotion shop',
      settings: { allowedOrigins: ['https://shop.example.com'] },
    });

    // Agents: created and signed in (argon2id: a few at a time), then their consoles connect.
    const agents: { id: string; auth: { cookie: string; csrf: string } }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(4, o.agents) }, async () => {
        while (next < o.agents) {
          const i = next++;
          const email = `route-agent${i}@bench.kefu.local`;
          const { user: u } = await api<{ user: { id: string } }>(url, admin, 'POST', '/api/users', {
            email,
            name: `客服 ${i}`,
            role: 'agent',
            password: 'bench-agent-password',
          });
          agents.push({ id: u.id, auth: await signInHttp(url, email, 'bench-agent-password') });
        }
      }),
    );
    for (const a of agents) sockets.push(await connectAgent(url.replace('http', 'ws'), a.auth.cookie));
    const agentIds = new Set(agents.map((a) => a.id));
    for (let tries = 0; ; tries++) {
      const items = (
        await api<{ items: { userId: string; presence: string; capacityChat: number }[] }>(
          url,
          admin,
          'GET',
          '/api/routing/presence',
        )
      ).items;
      const ready = items.filter(
        (r) => agentIds.has(r.userId) && r.presence === 'online' && r.capacityChat === o.capacity,
      );
      if (ready.length === o.agents) break;
      if (tries > 300)
        throw new Error(`${ready.length} of ${o.agents} agents online: ${JSON.stringify([...agentIds, ...items])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    o.log(
      `routing through the gateway: ${o.agents} agents × ${o.capacity} online; ${o.shoppers} shoppers over ${o.seconds} s`,
    );

    // The burst: shoppers spread evenly over `seconds`, none waiting for another.
    const assignedFifo: Shopper[] = [];
    const onAssigned = (s: Shopper) => assignedFifo.push(s);
    const burstProfiler = o.cpuProf ? await startProfiling() : null;
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const gap = (o.seconds * 1000) / o.shoppers;
    const arrivals: Promise<Shopper>[] = [];
    for (let i = 0; i < o.shoppers; i++) {
      const wait = t0 + i * gap - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      arrivals.push(arriveShopper(url, inbox.publicId, i, onAssigned));
    }
    const lastStarted = performance.now();
    const shoppers = await Promise.all(arrivals);
    for (const s of shoppers) if (s.ws) sockets.push(s.ws);
    // Every shopper hears at once (0) or learns their place: the burst ends when all have a frame.
    for (let w = 0; w < 300 && shoppers.some((s) => !s.error && !s.frames.length); w++)
      await new Promise((r) => setTimeout(r, 100));
    const burstSecs = (performance.now() - t0) / 1000;
    const burstCpu = cpuSeconds(pid) - cpu0;
    if (burstProfiler) await saveProfiles(burstProfiler, 'burst');
    const assignedInBurst = shoppers.filter((s) => s.assignedAt !== null && s.frames[0]?.position === 0);
    const queuedInBurst = shoppers.filter((s) => s.frames.some((f) => f.position > 0));
    o.log(
      `  burst: ${o.shoppers} arrivals in ${burstSecs.toFixed(1)} s (last started at ${((lastStarted - t0) / 1000).toFixed(1)} s): ${assignedInBurst.length} assigned at once, ${queuedInBurst.length} queued, ${shoppers.filter((s) => s.error).length} failed`,
    );

    // Drain: agents resolve the assigned chats at a steady rate until every conversation is done.
    const drainProfiler = o.cpuProf ? await startProfiling() : null;
    const dCpu0 = cpuSeconds(pid);
    const d0 = performance.now();
    const drained = await drainQueue({
      url,
      admin,
      agents: new Map(agents.map((a) => [a.id, a.auth])),
      assigned: assignedFifo,
      total: shoppers.filter((s) => s.conv).length,
      rate: o.drainRate,
    });
    const drainSecs = (performance.now() - d0) / 1000;
    const drainCpu = cpuSeconds(pid) - dCpu0;
    if (drainProfiler) await saveProfiles(drainProfiler, 'drain');
    await new Promise((r) => setTimeout(r, 1000)); // the last frames
    o.log(`  drain: ${drained.resolved} resolved in ${drainSecs.toFixed(1)} s (${drained.failures} failed requests)`);

    for (const s of sockets.splice(0)) s.close();
    await k.stop();
    const checks = checkDatabase(join(dataDir, 'kefu.db'), me.workspace.id);

    const frames = shoppers.flatMap((s) => s.frames);
    const delays = (fs: typeof frames) =>
      fs
        .filter((f) => f.changedAt !== null)
        .map((f) => f.at - f.changedAt!)
        .sort((a, b) => a - b);
    const all = delays(frames);
    const assignLat = assignedInBurst.map((s) => s.assignedAt! - s.sentAt).sort((a, b) => a - b);
    const waited = queuedInBurst
      .filter((s) => s.assignedAt !== null)
      .map((s) => s.assignedAt! - s.sentAt)
      .sort((a, b) => a - b);
    const summary = {
      mode: 'gateway',
      engine: 'sqlite',
      conversations: shoppers.filter((s) => s.conv).length,
      shoppers: o.shoppers,
      failedShoppers: shoppers.filter((s) => s.error).length,
      firstErrors: [...new Set(shoppers.filter((s) => s.error).map((s) => s.error))].slice(0, 5),
      agents: o.agents,
      capacity: o.capacity,
      assigned: assignedInBurst.length,
      queued: queuedInBurst.length,
      neverAssigned: checks.neverAssigned,
      neverToldAssigned: shoppers.filter((s) => s.conv && s.assignedAt === null).length,
      doubleAssignments: checks.doubleAssignments,
      overCapacity: checks.overCapacity,
      outOfOrder: checks.outOfOrder,
      itemsInDatabase: checks.items,
      assignmentsInDatabase: checks.assignments,
      resolutionsInDatabase: checks.resolutions,
      maxChatsHeld: checks.maxHeld,
      // From the shopper's first message to the assignment (position 0) reaching them, for those assigned at once.
      assignP50Ms: p(assignLat, 50),
      assignP99Ms: p(assignLat, 99),
      // The same for those who waited (their wait included).
      waitedAssignP50Ms: p(waited, 50),
      waitedAssignP99Ms: p(waited, 99),
      // Every queue frame: its arrival at the shopper minus the server time of the change it reports.
      queueUpdateP50Ms: p(all, 50),
      queueUpdateP99Ms: p(all, 99),
      queuePositionUpdateP99Ms: p(delays(frames.filter((f) => f.position > 0)), 99),
      queueFrames: frames.length,
      queueFramesWithoutChangedAt: frames.filter((f) => f.changedAt === null).length,
      burstSeconds: round(burstSecs),
      arrivalsPerSecond: round(o.shoppers / burstSecs),
      drainSeconds: round(drainSecs),
      resolutionsPerSecond: round(drained.resolved / drainSecs),
      // The server process's CPU (event loop, SQLite writer thread, GC) per unit of work: survives a loaded machine.
      // Per conversation created (failed attempts, e.g. timed out on a starved machine, cost CPU too).
      serverCpuMsPerArrival: round((burstCpu * 1000) / Math.max(1, shoppers.filter((s) => s.conv).length)),
      serverCpuMsPerResolution: round((drainCpu * 1000) / Math.max(1, drained.resolved)),
      serverCpuPercentBurst: round((burstCpu / burstSecs) * 100),
      pinned: o.pin,
      // Profiled runs pay for the profiler: their CPU and latency figures are not comparable.
      cpuProfiled: !!o.cpuProf,
    };
    o.log(`  ${JSON.stringify(summary)}`);
    return summary;
  } finally {
    for (const p of profilers) p.close(); // or the server would wait for its debugger at exit
    for (const s of sockets) s.close();
    closeHttpAgents();
    await k?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
