/**
 * The chat benchmark's reference: a minimal relay on the raw `ws` library with Kefu's topology
 * and the subset of its protocol the load generator uses, but no persistence, no authentication
 * and no validation beyond JSON.parse. A shopper's `send` is acknowledged at once and forwarded
 * as a `msg` frame of the same shape as Kefu's to the agent connection subscribed to the
 * conversation. It measures what this machine's Node.js and `ws` can relay: the ceiling Kefu is
 * compared with.
 *
 * With KEFU_BENCH_RELAY_DB (a SQLite file; `--raw-durable` sets it) the relay is **durable**: a send
 * is committed first, in batches of up to 500 on a writer thread (`durable-relay-worker.ts`), and
 * acknowledged and forwarded after the commit, as Kefu does: the least a relay that stores every
 * message pays on this machine.
 *
 * `node bench/chat/raw-relay.ts` listens on 127.0.0.1 and a free port and prints {"port":N}.
 * It exits by itself after KEFU_BENCH_LIFETIME_MS (default one hour) or when its parent goes.
 */
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DurableRow } from './durable-relay-worker.ts';

type Conv = { seq: number; agent: WebSocket | null; customer: string };

const convs = new Map<string, Conv>();
let nextConv = 0;
let nextMsg = 0;

/** Durable: messages wait here for the next batch; one batch is committed at a time. */
type Waiting = { row: DurableRow; done: () => void };
const dbFile = process.env.KEFU_BENCH_RELAY_DB;
const writer = dbFile
  ? new Worker(new URL('./durable-relay-worker.ts', import.meta.url), { workerData: { file: dbFile } })
  : null;
const queue: Waiting[] = [];
let inFlight: Waiting[] | null = null;
let timer: NodeJS.Timeout | undefined;
writer?.on('message', () => {
  const done = inFlight!;
  inFlight = null;
  for (const w of done) w.done();
  if (queue.length) flush();
});
function flush(): void {
  clearTimeout(timer);
  timer = undefined;
  if (inFlight || !queue.length) return;
  inFlight = queue.splice(0, 500);
  writer!.postMessage(inFlight.map((w) => w.row));
}
function commit(row: DurableRow, done: () => void): void {
  queue.push({ row, done });
  if (queue.length >= 500) flush();
  else timer ??= setTimeout(flush, 2);
}

const server = createServer((_req, res) => res.end('raw relay\n'));
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (ws, req) => {
  const shopper = (req.url ?? '').includes('widget=');
  const customer = `cus_${(nextConv + 1).toString(36)}`;
  let own: string | null = null; // the shopper's conversation
  const subs = new Set<string>();
  ws.send(
    JSON.stringify({
      t: 'welcome',
      role: shopper ? 'customer' : 'agent',
      userId: null,
      customerId: shopper ? customer : null,
      heartbeatMs: 25_000,
    }),
  );
  ws.on('message', (data: Buffer) => {
    let f: { t: string; cid?: string; conv?: string; body?: string; lastSeq?: number };
    try {
      f = JSON.parse(data.toString());
    } catch {
      return ws.send('{"t":"error","code":"invalid_frame","message":"frames are JSON text"}');
    }
    switch (f.t) {
      case 'ping':
        return ws.send('{"t":"pong"}');
      case 'hello':
        return;
      case 'sub': {
        const c = convs.get(f.conv ?? '');
        if (!c)
          return ws.send(
            JSON.stringify({ t: 'error', code: 'unknown_conversation', message: 'no such conversation', conv: f.conv }),
          );
        c.agent = ws;
        subs.add(f.conv!);
        return ws.send(JSON.stringify({ t: 'synced', conv: f.conv, seq: c.seq }));
      }
      case 'send': {
        let id = f.conv ?? own;
        if (!id) {
          id = own = `cnv_${(nextConv++).toString(36)}`;
          convs.set(id, { seq: 0, agent: null, customer });
        }
        const c = convs.get(id);
        if (!c)
          return ws.send(
            JSON.stringify({ t: 'error', code: 'unknown_conversation', message: 'no such conversation', cid: f.cid }),
          );
        const seq = ++c.seq;
        const m = {
          id: `msg_${(nextMsg++).toString(36)}`,
          conv: id,
          seq,
          cid: f.cid ?? null,
          kind: 'text',
          body: f.body ?? '',
          attachments: [],
          sender: { type: 'customer', id: c.customer, name: null },
          at: new Date().toISOString(),
        };
        const deliver = () => {
          if (c.agent && c.agent.readyState === c.agent.OPEN) c.agent.send(JSON.stringify({ t: 'msg', m }));
          ws.send(JSON.stringify({ t: 'ack', cid: f.cid, conv: id, id: m.id, seq, at: m.at }));
        };
        if (!writer) return deliver();
        return commit([m.id, id, seq, m.cid, c.customer, m.body, m.at], deliver);
      }
    }
  });
  ws.on('close', () => {
    for (const id of subs) {
      const c = convs.get(id);
      if (c?.agent === ws) c.agent = null;
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ port }));
});

setTimeout(() => process.exit(0), Number(process.env.KEFU_BENCH_LIFETIME_MS ?? 3_600_000)).unref();
process.on('SIGTERM', () => process.exit(0));
// The parent is gone when stdin (a pipe from it) closes.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
