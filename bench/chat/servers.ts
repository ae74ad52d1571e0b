/** The targets as server processes: Kefu (set up over HTTP, then restarted) or the raw-ws reference relay. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startKefuProcess, type KefuProcess } from '../../src/server/testing/spawn.ts';
import type { ChatOptions } from './options.ts';
import { children, lifetimeMs } from './processes.ts';
import { setupKefu, type KefuSetup } from './setup.ts';
import { fmt, log } from './stats.ts';

const rawRelayFile = fileURLToPath(new URL('./raw-relay.ts', import.meta.url));

export type Target = 'kefu' | 'raw';

export type Server = {
  target: Target;
  pid: number;
  wsUrl: string;
  httpUrl: string;
  dataDir?: string;
  inspectPort: number;
  stop(): Promise<void>;
};

export async function startTarget(
  target: Target,
  o: ChatOptions,
  shoppers: number,
): Promise<{ server: Server; setup?: KefuSetup }> {
  if (target === 'kefu') {
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-chat-'));
    // The inspector (loopback only) lets the benchmark force a GC before reading the heap, and profile.
    const inspectPort = await freePort();
    const env: Record<string, string> = {
      KEFU_LOGIN_RATE_PER_MINUTE: '10000',
      // Each benchmark shopper sends far more than a person types (at the maximum, and in --quick with
      // fewer shoppers): the per-sender limits would refuse that load; the writer's bounds stay as deployed.
      KEFU_CHAT_MESSAGES_PER_SECOND: '1000000',
      KEFU_CHAT_FRAMES_PER_SECOND: '1000000',
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
  const proc = spawn(
    'taskset',
    ['-c', String(o.serverCpu), process.execPath, `--inspect=127.0.0.1:${inspectPort}`, rawRelayFile],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KEFU_BENCH_LIFETIME_MS: String(lifetimeMs) } },
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
      },
    },
  };
}
