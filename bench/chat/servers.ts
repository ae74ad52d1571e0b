/** The targets as server processes: Kefu (set up over HTTP, then restarted) or the raw-ws reference relay. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, startKefuProcess, type KefuProcess } from '../../src/server/testing/spawn.ts';
import type { ChatOptions } from './options.ts';
import { children, lifetimeMs } from './processes.ts';
import { setupKefu, type KefuSetup } from './setup.ts';
import { fmt, log } from './stats.ts';

const rawRelayFile = fileURLToPath(new URL('./raw-relay.ts', import.meta.url));

export type Target = 'kefu' | 'raw';

export type Node = { pid: number; wsUrl: string; inspectPort: number };

export type Server = {
  target: Target;
  /** Node A (the only one unless two nodes): memory, CPU profiles. */
  pid: number;
  wsUrl: string;
  httpUrl: string;
  /** SQLite's data folder (one node only: the stall phase and the persisted count read it). */
  dataDir?: string;
  inspectPort: number;
  /** Two nodes: both (A first); PostgreSQL's and Redis's processes are `infraPids`. */
  nodes?: Node[];
  infraPids?: () => number[];
  stop(): Promise<void>;
};

/** Processes of PostgreSQL and Redis on this machine (their CPU is the cluster's, not another tenant's). */
function infraPids(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
      if (comm === 'postgres' || comm.startsWith('redis-server')) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Kefu on two nodes on one PostgreSQL database (created for the run) and one Redis. */
async function startTwoNodes(o: ChatOptions, shoppers: number): Promise<{ server: Server; setup: KefuSetup }> {
  const name = `kefu_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: o.databaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(o.databaseUrl!);
  dbUrl.pathname = `/${name}`;
  const dataDirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'kefu-bench-chat-')));
  const procs: KefuProcess[] = [];
  const drop = async () => {
    for (const p of procs.splice(0)) await p.stop();
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: o.databaseUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  try {
    const ports = [await freePort(), await freePort()];
    const common = {
      ...benchEnv,
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: o.redisUrl!,
      KEFU_SECRET_KEY: randomBytes(32).toString('hex'),
    };
    const env = (i: number) => ({
      ...common,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${ports[i]} ${o.serverNodeOptions}`.trim(),
    });
    procs.push(await startKefuProcess({ dataDir: dataDirs[0], cpu: o.serverCpu, env: env(0) }));
    children.add(procs[0].proc);
    const setup = await setupKefu(procs[0].url, { shoppers, agents: o.agents, log: (s) => log(`  ${s}`) });
    await procs.pop()!.stop();
    for (const i of [0, 1]) {
      procs.push(await startKefuProcess({ dataDir: dataDirs[i], cpu: o.serverCpu, env: env(i) }));
      children.add(procs[i].proc);
    }
    log(`  two Kefu nodes on PostgreSQL (${name}) + Redis, both pinned to core ${o.serverCpu}, topology ${o.topology}`);
    const nodes = procs.map((p, i) => ({
      pid: p.proc.pid!,
      wsUrl: p.url.replace('http', 'ws'),
      inspectPort: ports[i],
    }));
    return {
      setup,
      server: {
        target: 'kefu',
        ...nodes[0],
        httpUrl: procs[0].url,
        nodes,
        infraPids,
        stop: drop,
      },
    };
  } catch (err) {
    await drop();
    throw err;
  }
}

/** The server's environment for the benchmark. */
const benchEnv: Record<string, string> = {
  KEFU_LOGIN_RATE_PER_MINUTE: '10000',
  // Each benchmark shopper sends far more than a person types (at the maximum, and in --quick with
  // fewer shoppers): the per-sender limits would refuse that load; the writer's bounds stay as deployed.
  KEFU_CHAT_MESSAGES_PER_SECOND: '1000000',
  KEFU_CHAT_FRAMES_PER_SECOND: '1000000',
};

export async function startTarget(
  target: Target,
  o: ChatOptions,
  shoppers: number,
): Promise<{ server: Server; setup?: KefuSetup }> {
  if (target === 'kefu' && o.nodes === 2) return startTwoNodes(o, shoppers);
  if (target === 'kefu') {
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-chat-'));
    // The inspector (loopback only) lets the benchmark force a GC before reading the heap, and profile.
    const inspectPort = await freePort();
    const env: Record<string, string> = {
      ...benchEnv,
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${inspectPort} ${o.serverNodeOptions}`.trim(),
    };
    let k: KefuProcess | undefined;
    try {
      k = await startKefuProcess({ dataDir, cpu: o.serverCpu, env });
      children.add(k.proc);
      const setup = await setupKefu(k.url, { shoppers, agents: o.agents, log: (s) => log(`  ${s}`) });
      // A fresh process on the prepared data: its memory before and after the connections compares with the relay's.
      await k.stop();
      k = await startKefuProcess({ dataDir, cpu: o.serverCpu, env });
      children.add(k.proc);
      log(`  Kefu restarted on the prepared data (ready in ${fmt(k.readyMs)} ms)`);
      const kp = k;
      return {
        setup,
        server: {
          target,
          pid: kp.proc.pid!,
          httpUrl: kp.url,
          wsUrl: kp.url.replace('http', 'ws'),
          dataDir,
          inspectPort,
          async stop() {
            await kp.stop();
            if (o.serverNodeOptions) {
              const dir = join(dirname(fileURLToPath(import.meta.url)), 'profiles');
              mkdirSync(dir, { recursive: true });
              const file = join(dir, `kefu-output-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
              writeFileSync(file, kp.output());
              log(`  Kefu's output (${o.serverNodeOptions}) saved to ${file}`);
            }
            rmSync(dataDir, { recursive: true, force: true });
          },
        },
      };
    } catch (err) {
      await k?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  const inspectPort = await freePort();
  const relayDir = o.rawDurable ? mkdtempSync(join(tmpdir(), 'kefu-bench-relay-')) : null;
  const proc = spawn(
    'taskset',
    ['-c', String(o.serverCpu), process.execPath, `--inspect=127.0.0.1:${inspectPort}`, rawRelayFile],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KEFU_BENCH_LIFETIME_MS: String(lifetimeMs),
        ...(relayDir ? { KEFU_BENCH_RELAY_DB: join(relayDir, 'relay.db') } : {}),
      },
    },
  );
  children.add(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000))); // the inspector's notices; shown if it fails
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('raw relay did not start within 10 s')), 10_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => reject(new Error(`raw relay exited with ${code}: ${stderr}`)));
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  return {
    server: {
      target,
      pid: proc.pid!,
      httpUrl,
      wsUrl: httpUrl.replace('http', 'ws'),
      inspectPort,
      async stop() {
        if (proc.exitCode === null) proc.kill('SIGTERM');
        await exited;
        if (relayDir) rmSync(relayDir, { recursive: true, force: true });
      },
    },
  };
}
