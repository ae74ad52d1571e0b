import { backup } from './backup.ts';
import { bot } from './bot/index.ts';
import { chat } from './chat/index.ts';
import { routing } from './routing/index.ts';
import { percentile, startServer } from './server.ts';
import { monitoring } from './monitoring/index.ts';
import { volume } from './volume/index.ts';
import { reports } from './reports.ts';

async function startup(): Promise<void> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await startServer();
    runs.push(s.readyMs);
    await s.stop();
  }
  runs.sort((a, b) => a - b);
  console.log(
    `start-up on an empty data folder to /readyz 200 (process spawn, migrations, demo seed): median ${runs[1].toFixed(0)} ms, max ${runs[2].toFixed(0)} ms (3 runs)`,
  );
}

/** Authenticated API reads: GET /api/auth/me with a session cookie, at a fixed concurrency. */
async function api(): Promise<void> {
  const s = await startServer();
  try {
    const login = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@kefu.local', password: 'bench-password-123' }),
    });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const total = 5000;
    const concurrency = 32;
    const latencies: number[] = [];
    let next = 0;
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          next++;
          const a = performance.now();
          const r = await fetch(`${s.url}/api/auth/me`, { headers: { cookie } });
          await r.arrayBuffer();
          if (!r.ok) errors++;
          latencies.push(performance.now() - a);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `GET /api/auth/me, ${concurrency} concurrent, ${total} requests: ${(total / secs).toFixed(0)} req/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, errors ${errors}`,
    );
  } finally {
    await s.stop();
  }
}

export const scenarios: Record<string, (args: string[]) => Promise<void>> = {
  startup,
  api,
  chat,
  volume,
  backup,
  bot,
  routing,
  monitoring,
  reports,
};
