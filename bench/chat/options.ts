/** Command-line options of `npm run bench -- chat [options]` (see bench/chat/README.md). */

export type ChatOptions = {
  shoppers: number;
  agents: number;
  /** The steady phases' total rates, messages/s (one phase each); undefined: half of the maximum measured in the same run. */
  rates?: number[];
  duration: number;
  maxDuration: number;
  /** Closed-loop phases, one per value: unacknowledged messages in flight over all shoppers. The best is the maximum. */
  windows: number[];
  max: boolean;
  stallMs: number;
  stallSeconds: number;
  /** Overload phase: this many seconds at twice the maximum, then `recoverySeconds` at the steady rate (0: no such phase). */
  overloadSeconds: number;
  recoverySeconds: number;
  bodyBytes: number;
  procs?: number;
  only?: 'kefu' | 'raw';
  /** The reference relay commits every message to SQLite (a writer thread, batches) before it acks and forwards it. */
  rawDurable: boolean;
  inboxUpdates: boolean;
  /** Profile Kefu (event loop and writer thread) during its first closed-loop phase or its steady phase. */
  cpuProf: false | 'max' | 'steady';
  serverCpu: number;
  /** Kefu on this many nodes (2: PostgreSQL + Redis, `databaseUrl` and `redisUrl`); 1: one process on SQLite. */
  nodes: 1 | 2;
  /** Two nodes: `split` puts every shopper on node A and every agent on node B; `mixed` alternates both. */
  topology: 'split' | 'mixed';
  /** Two nodes: a PostgreSQL server URL (a database is created for the run and dropped after it). */
  databaseUrl?: string;
  redisUrl?: string;
  loadgenCpu: number;
  out: string;
  quick: boolean;
  /** Seconds to wait, before each phase, for other processes to go quiet (the machine may be shared). */
  quietWait: number;
  /** A closed-loop or steady phase during which other processes used ≥ 10 % CPU is run again, up to this many times. */
  retries: number;
  /** Extra Node.js flags for the Kefu server (e.g. --trace-gc); its output then goes to bench/chat/profiles/. */
  serverNodeOptions: string;
};

const usage = `npm run bench -- chat [options]
  --quick              1,000 shoppers, 50 agents, 5 s phases (a smoke run)
  --shoppers N         shopper connections (default 10000)
  --agents N           agent connections, each serving shoppers/agents conversations (default 500)
  --rate R[,R…]        steady phase(s): total messages/s, open loop (default: half the closed-loop maximum of the same target);
                       several values: one phase each (latency by rate); the first is the one the summary checks
  --duration S         steady phase seconds (default 20)
  --max-duration S     closed-loop (maximum throughput) phase seconds (default 15)
  --window W[,W…]      closed loop: messages in flight over all shoppers; several values: one phase each, the best counts (default 1000)
  --no-max             skip the closed-loop phase (needs --rate)
  --stall-ms MS        Kefu only: hold the SQLite write lock this long in a stall phase, simulating a checkpoint or a slow disk (default 1000; 0: no stall phase)
  --overload-seconds S Kefu only: an overload phase of S seconds at twice the closed-loop maximum, then --recovery-seconds
                       (default 10 and 10) at the steady rate: RSS growth, refusals (busy), loss and how soon p99 recovers (0: none)
  --nodes 2            Kefu on two nodes (both pinned to the server core) on PostgreSQL + Redis instead of one on SQLite
  --topology T         two nodes: split (shoppers on node A, agents on node B; default) or mixed (both alternate)
  --database-url URL   two nodes: PostgreSQL server (default $KEFU_TEST_DATABASE_URL; a database is created and dropped)
  --redis-url URL      two nodes: Redis (default $KEFU_TEST_REDIS_URL)
  --body-bytes N       message body size (default 100)
  --procs N            load-generator processes (default: one per 6,000 connections)
  --only kefu|raw      run one target only
  --raw-durable        the reference relay commits each message to SQLite first (batches on a writer thread, Kefu's
                       pragmas, one table with the seq and resend keys), then acks and forwards it: what storing costs
  --inbox-updates      agents also subscribe to live inbox rows (hello.inboxUpdates)
  --cpu-prof           profile Kefu (event loop and writer thread) during its first closed-loop phase (slows it down; figures are marked)
  --cpu-prof-steady    the same during the steady phase, with the event loop's long tasks (> 20 ms) and what ran in them
  --server-cpu N       core for the server (default 0); --loadgen-cpu N: core for the generators (default 1)
  --quiet-wait S       before each phase, wait up to S seconds for other processes to use < 10 % CPU (default 60; 0: do not wait)
  --retries N          run a closed-loop or steady phase again, up to N times, while other processes disturbed it (default 2)
  --server-node-options "FLAGS"  extra Node.js flags for Kefu (e.g. "--trace-gc"); its output is saved in bench/chat/profiles/
  --out FILE           result JSON (default bench/chat/last-result.json)`;

export function parseOptions(args: string[]): ChatOptions {
  const quick = args.includes('--quick');
  const o: ChatOptions = {
    shoppers: quick ? 1000 : 10_000,
    agents: quick ? 50 : 500,
    duration: quick ? 5 : 20,
    maxDuration: quick ? 5 : 15,
    windows: [1000],
    max: true,
    stallMs: 1000,
    stallSeconds: quick ? 5 : 8,
    overloadSeconds: quick ? 5 : 10,
    recoverySeconds: quick ? 5 : 10,
    bodyBytes: 100,
    inboxUpdates: false,
    rawDurable: false,
    cpuProf: false,
    serverCpu: 0,
    nodes: 1,
    topology: 'split',
    databaseUrl: process.env.KEFU_TEST_DATABASE_URL,
    redisUrl: process.env.KEFU_TEST_REDIS_URL,
    loadgenCpu: 1,
    out: 'bench/chat/last-result.json',
    quick,
    quietWait: 60,
    retries: 2,
    serverNodeOptions: '',
  };
  const int = (v: string | undefined, name: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name}: an integer from ${min} to ${max}\n\n${usage}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = () => args[++i];
    switch (a) {
      case '--quick':
        break;
      case '--shoppers':
        o.shoppers = int(v(), a, 1, 100_000);
        break;
      case '--agents':
        o.agents = int(v(), a, 1, 10_000);
        break;
      case '--rate':
        o.rates = (v() ?? '').split(',').map((r) => int(r, a, 1, 1_000_000));
        break;
      case '--duration':
        o.duration = int(v(), a, 1, 3600);
        break;
      case '--max-duration':
        o.maxDuration = int(v(), a, 2, 3600);
        break;
      case '--window':
        o.windows = (v() ?? '').split(',').map((w) => int(w, a, 1, 1_000_000));
        break;
      case '--no-max':
        o.max = false;
        break;
      case '--stall-ms':
        o.stallMs = int(v(), a, 0, 9000);
        break;
      case '--overload-seconds':
        o.overloadSeconds = int(v(), a, 0, 600);
        break;
      case '--recovery-seconds':
        o.recoverySeconds = int(v(), a, 1, 600);
        break;
      case '--nodes':
        o.nodes = int(v(), a, 1, 2) as 1 | 2;
        break;
      case '--topology': {
        const t = v();
        if (t !== 'split' && t !== 'mixed') throw new Error(`--topology: split or mixed\n\n${usage}`);
        o.topology = t;
        break;
      }
      case '--database-url':
        o.databaseUrl = v();
        break;
      case '--redis-url':
        o.redisUrl = v();
        break;
      case '--body-bytes':
        o.bodyBytes = int(v(), a, 20, 5000);
        break;
      case '--procs':
        o.procs = int(v(), a, 1, 64);
        break;
      case '--only': {
        const t = v();
        if (t !== 'kefu' && t !== 'raw') throw new Error(`--only: kefu or raw\n\n${usage}`);
        o.only = t;
        break;
      }
      case '--raw-durable':
        o.rawDurable = true;
        break;
      case '--inbox-updates':
        o.inboxUpdates = true;
        break;
      case '--cpu-prof':
        o.cpuProf = 'max';
        break;
      case '--cpu-prof-steady':
        o.cpuProf = 'steady';
        break;
      case '--server-cpu':
        o.serverCpu = int(v(), a, 0, 1023);
        break;
      case '--loadgen-cpu':
        o.loadgenCpu = int(v(), a, 0, 1023);
        break;
      case '--out':
        o.out = v();
        break;
      case '--quiet-wait':
        o.quietWait = int(v(), a, 0, 3600);
        break;
      case '--retries':
        o.retries = int(v(), a, 0, 10);
        break;
      case '--server-node-options':
        o.serverNodeOptions = v() ?? '';
        break;
      case '--help':
      case '-h':
        console.log(usage);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}\n\n${usage}`);
    }
  }
  if (o.agents > o.shoppers) throw new Error('--agents: at most as many as --shoppers');
  if (o.nodes === 2 && (!o.databaseUrl || !o.redisUrl))
    throw new Error(
      `--nodes 2 needs --database-url and --redis-url (or KEFU_TEST_DATABASE_URL and KEFU_TEST_REDIS_URL)`,
    );
  if (!o.max && !o.rates) throw new Error('--no-max needs --rate');
  return o;
}
