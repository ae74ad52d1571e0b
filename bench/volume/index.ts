/**
 * `npm run bench -- volume [--sizes=S,M,L] [--engines=sqlite,postgres] [--runs=30] [--warmup=5]
 * [--pg=postgres://…] [--only=substring] [--keep]`: generates a shop at 1k / 10k / 100k conversations
 * (10 messages each, as many tickets with their timelines) on each engine, times every list,
 * search, report and /metrics call the console makes as an admin and as an agent, and prints
 * p50 / p95 per size and the ratio L / S. PostgreSQL needs --pg (or KEFU_BENCH_DATABASE_URL /
 * KEFU_TEST_DATABASE_URL): a server where the benchmark may create and drop databases.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { signInHttp } from '../../src/server/testing/spawn.ts';
import { callsFor, timeInterleaved, type Auth, type Timing } from './calls.ts';
import { adminPassword, agentEmail, install, type Engine, type Installation } from './place.ts';

const sizes = { S: 1_000, M: 10_000, L: 100_000 } as const;
type Size = keyof typeof sizes;
type Result = {
  engine: Engine;
  size: Size;
  load: string;
  startupMs: number;
  loadMs: number;
  rssMb: number;
  rows: Record<string, number>;
  timings: Record<string, Timing>;
};

const option = (args: string[], name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function volume(args: string[]): Promise<void> {
  const runs = Number(option(args, 'runs', '30'));
  const warmup = Number(option(args, 'warmup', '5'));
  const only = option(args, 'only', '');
  const pgUrl = option(args, 'pg', process.env.KEFU_BENCH_DATABASE_URL ?? process.env.KEFU_TEST_DATABASE_URL ?? '');
  const wanted = option(args, 'sizes', 'S,M,L').split(',') as Size[];
  const engines = option(args, 'engines', pgUrl ? 'sqlite,postgres' : 'sqlite').split(',') as Engine[];
  if (engines.includes('postgres') && !pgUrl)
    throw new Error('PostgreSQL needs --pg=postgres://… (or KEFU_BENCH_DATABASE_URL)');
  const results: Result[] = [];
  for (const engine of engines) {
    // Every size is installed and running before any is timed; then each call is timed on every
    // size in turn, run by run, so whatever else the machine does weighs on all sizes alike.
    const running: { size: Size; inst: Installation; before: string; auth: Record<'admin' | 'agent', Auth> }[] = [];
    try {
      for (const size of wanted) {
        const before = load();
        console.log(
          `\n[${engine} ${size}] generating ${sizes[size].toLocaleString('en')} conversations … (load ${before})`,
        );
        const inst = await install(engine, sizes[size], pgUrl || undefined, args.includes('--keep'));
        console.log(
          `[${engine} ${size}] loaded in ${(inst.loadMs / 1000).toFixed(1)} s: ${Object.entries(inst.rows)
            .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
            .join(', ')}; start-up ${inst.server.readyMs.toFixed(0)} ms`,
        );
        const url = inst.server.url;
        running.push({
          size,
          inst,
          before,
          auth: {
            admin: await signInHttp(url, 'admin@kefu.local', adminPassword),
            agent: await signInHttp(url, agentEmail, inst.agentPassword),
          },
        });
      }
      const measureFrom = load();
      const timings = new Map<Size, Record<string, Timing>>(running.map((r) => [r.size, {}]));
      const callLists = running.map((r) => callsFor(r.inst.probes));
      for (let c = 0; c < callLists[0].length; c++) {
        const call = callLists[0][c];
        if (only && !call.name.includes(only)) continue;
        for (const role of call.roles) {
          const targets = await Promise.all(
            running.map(async (r, i) => {
              const a = callLists[i][c].anonymous ? null : r.auth[role];
              const url = r.inst.server.url;
              const get = async (path: string, auth: Auth) => {
                const res = await fetch(`${url}${path}`, { headers: auth ? { cookie: auth.cookie } : {} });
                if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
                return res.json();
              };
              return { url, auth: a, path: await callLists[i][c].path(get, a) };
            }),
          );
          const measured = await timeInterleaved(targets, runs, warmup);
          running.forEach(
            (r, i) => (timings.get(r.size)![`${call.name}${call.anonymous ? '' : ` · ${role}`}`] = measured[i]),
          );
        }
      }
      for (const r of running) {
        const result: Result = {
          engine,
          size: r.size,
          load: `${measureFrom} → ${load()}`,
          startupMs: r.inst.server.readyMs,
          loadMs: r.inst.loadMs,
          rssMb: rssOf(r.inst.server.proc.pid!),
          rows: r.inst.rows,
          timings: timings.get(r.size)!,
        };
        results.push(result);
        console.log(`[${engine} ${r.size}] RSS after the run ${result.rssMb.toFixed(0)} MB; load ${result.load}`);
      }
    } finally {
      for (const r of running) await r.inst.stop();
    }
    print(results.filter((r) => r.engine === engine));
  }
  // The last run of each engine (a run of one engine keeps the other's; --only runs are not saved).
  if (only) return;
  const file = new URL('./last-result.json', import.meta.url);
  let previous: Result[] = [];
  try {
    previous = (JSON.parse(readFileSync(file, 'utf8')) as Result[]).filter((r) => !engines.includes(r.engine));
  } catch {
    // no earlier result (or an unreadable one): this run's figures stand alone
  }
  writeFileSync(file, JSON.stringify([...previous, ...results], null, 1) + '\n');
}

function print(results: Result[]): void {
  if (!results.length) return;
  const fullText = new Set(
    callsFor({ longThreads: [''] } as never)
      .filter((c) => c.fullText)
      .map((c) => c.name),
  );
  const bySize = new Map(results.map((r) => [r.size, r]));
  const S = bySize.get('S');
  const L = bySize.get('L');
  const cols = results.map((r) => r.size);
  console.log(`\n### ${results[0].engine}\n`);
  console.log(`| call · role | ${cols.map((c) => `${c} p50 / p95 ms`).join(' | ')} | L/S (p50) | target |`);
  console.log(`|---|${cols.map(() => '---:').join('|')}|---:|---|`);
  for (const name of Object.keys(results[0].timings)) {
    const cells = results.map((r) =>
      r.timings[name] ? `${r.timings[name].p50.toFixed(1)} / ${r.timings[name].p95.toFixed(1)}` : '–',
    );
    const ft = fullText.has(name.split(' · ')[0]);
    const ratio = S && L && S.timings[name] && L.timings[name] ? L.timings[name].p50 / S.timings[name].p50 : null;
    const p95 = L?.timings[name]?.p95;
    const ok = p95 === undefined ? '' : p95 <= (ft ? 100 : 50) && (ft || ratio === null || ratio <= 3) ? '✓' : '✗';
    console.log(
      `| ${name} | ${cells.join(' | ')} | ${ratio === null ? '–' : ratio.toFixed(2)} | ${ok}${ft ? ' (full text)' : ''} |`,
    );
  }
  for (const r of results)
    console.log(
      `\n${r.size}: start-up ${r.startupMs.toFixed(0)} ms, RSS after the run ${r.rssMb.toFixed(0)} MB, generated in ${(r.loadMs / 1000).toFixed(0)} s, load average ${r.load}`,
    );
}
