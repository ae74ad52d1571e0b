/** A protocol-level WebSocket client for tests: collects frames and waits for the ones it expects. */
import WebSocket from 'ws';
import type { ServerFrame } from '../../shared/realtime/protocol.ts';

export type TestSocket = {
  ws: WebSocket;
  frames: ServerFrame[];
  send(frame: object | string): void;
  /** Resolves with the first frame (received or to come) matching `pred`, after index `from`. */
  next<T extends ServerFrame = ServerFrame>(pred: (f: ServerFrame) => boolean, timeoutMs?: number): Promise<T>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

export function connect(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers });
  const frames: ServerFrame[] = [];
  const waiters: { pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  const consumed = new Set<ServerFrame>();
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as ServerFrame;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        consumed.add(f);
        w.resolve(f);
        return;
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { status: res.statusCode, body })),
      );
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        frames,
        closed,
        send: (f) => ws.send(typeof f === 'string' ? f : JSON.stringify(f)),
        next: <T extends ServerFrame>(pred: (f: ServerFrame) => boolean, timeoutMs = 5000) =>
          new Promise<T>((res, rej) => {
            const found = frames.find((f) => !consumed.has(f) && pred(f));
            if (found) {
              consumed.add(found);
              return res(found as T);
            }
            const timer = setTimeout(
              () => rej(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-5))}`)),
              timeoutMs,
            );
            waiters.push({ pred, resolve: (f) => (clearTimeout(timer), res(f as T)) });
          }),
        close: () => ws.close(),
      }),
    );
  });
}
