/**
 * The routing benchmark's clients over the real protocol: agents (a signed-in console's socket,
 * which is what makes them present) and shoppers through the widget's path (a widget session
 * over HTTP, `/ws?widget=<token>`, `hello`, the first message, which creates the conversation).
 * Each shopper records every `queue` frame with its arrival time; the frame's `changedAt` is the
 * server's time of the change it reports (same machine, same clock).
 */
import { Agent } from 'node:http';
import WebSocket from 'ws';
import type { ServerFrame } from '../../src/shared/realtime/protocol.ts';
import { open } from '../chat/loadgen-sockets.ts';
import { postJson, sourceAddress } from '../chat/setup.ts';

type QueueFrame = Extract<ServerFrame, { t: 'queue' }>;

/** One queue frame as a shopper received it: `at` is this process's Date.now() on arrival. */
export type Seen = { position: number; waitSeconds: number | null; changedAt: number | null; at: number };

export type Shopper = {
  index: number;
  conv: string | null;
  /** Date.now() just before the first message was written to the socket. */
  sentAt: number;
  ackAt: number | null;
  frames: Seen[];
  /** Date.now() of the first position-0 frame: the assignment reached the shopper. */
  assignedAt: number | null;
  error: string | null;
  ws: WebSocket | null;
};

/** A console's socket for an agent: `hello` with no subscriptions; it makes the agent present. */
export async function connectAgent(wsUrl: string, cookie: string): Promise<WebSocket> {
  const ws = await open(
    `${wsUrl}/ws`,
    { cookie },
    () => {},
    () => {},
  );
  ws.send(JSON.stringify({ t: 'hello', subs: {} }));
  return ws;
}

/** Per group of 50 shoppers, one HTTP agent from its own loopback address (the session endpoint's per-address limit). */
const perAddress = 50;
const httpAgents = new Map<number, Agent>();
function httpAgentFor(i: number): Agent {
  const g = Math.floor(i / perAddress);
  let a = httpAgents.get(g);
  if (!a) httpAgents.set(g, (a = new Agent({ keepAlive: true, maxSockets: 4, localAddress: sourceAddress(g) })));
  return a;
}
export function closeHttpAgents(): void {
  for (const a of httpAgents.values()) a.destroy();
  httpAgents.clear();
}

/**
 * One shopper arriving: widget session, socket, hello, first message. Resolves once the message
 * is acknowledged (the conversation exists); queue frames keep being recorded afterwards.
 * `onAssigned` is called once, at the first position-0 frame.
 */
export async function arriveShopper(
  httpUrl: string,
  publicId: string,
  index: number,
  onAssigned: (s: Shopper) => void,
): Promise<Shopper> {
  const s: Shopper = {
    index,
    conv: null,
    sentAt: 0,
    ackAt: null,
    frames: [],
    assignedAt: null,
    error: null,
    ws: null,
  };
  try {
    const r = await postJson(
      httpUrl,
      `/api/widget/${publicId}/session`,
      { visitorId: `route-visitor-${String(index).padStart(8, '0')}`, origin: 'https://shop.example.com' },
      httpAgentFor(index),
    );
    if (r.status !== 200) throw new Error(`widget session: ${r.status} ${r.body.slice(0, 200)}`);
    const token = (JSON.parse(r.body) as { token: string }).token;
    let acked: () => void = () => {};
    const ack = new Promise<void>((res) => (acked = res));
    const onFrame = (data: Buffer) => {
      const f = JSON.parse(data.toString()) as ServerFrame;
      if (f.t === 'ack') {
        s.conv = f.conv;
        s.ackAt = Date.now();
        acked();
      } else if (f.t === 'queue') {
        const q = f as QueueFrame;
        const at = Date.now();
        s.frames.push({ position: q.position, waitSeconds: q.waitSeconds, changedAt: q.changedAt ?? null, at });
        if (q.position === 0 && s.assignedAt === null) {
          s.assignedAt = at;
          s.conv ??= q.conv;
          onAssigned(s);
        }
      } else if (f.t === 'error') s.error ??= `${f.code}: ${f.message}`;
    };
    s.ws = await open(`${httpUrl.replace('http', 'ws')}/ws?widget=${encodeURIComponent(token)}`, {}, onFrame, () => {});
    s.ws.send(JSON.stringify({ t: 'hello', subs: {} }));
    s.sentAt = Date.now();
    s.ws.send(
      JSON.stringify({ t: 'send', cid: `c${index}`, kind: 'text', body: `你好，我想问一下订单 ${index} 的发货时间` }),
    );
    await Promise.race([
      ack,
      new Promise((_r, rej) => setTimeout(() => rej(new Error('no ack within 120 s')), 120_000).unref()),
    ]);
  } catch (err) {
    s.error ??= (err as Error).message;
  }
  return s;
}
