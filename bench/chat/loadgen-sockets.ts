/** A load generator's socket helpers: open a connection up to the server's welcome, and bounded concurrency. */
import WebSocket from 'ws';

/** Runs `task` over `items` with at most `concurrency` at a time. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  task: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i);
      }
    }),
  );
}

/** Opens a socket and resolves once the server's `welcome` frame has arrived. */
export function open(
  url: string,
  headers: Record<string, string>,
  onFrame: (data: Buffer) => void,
  onClose: () => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: 30_000 });
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('no welcome within 30 s'))), 30_000);
    let welcomed = false;
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (!welcomed) {
        clearTimeout(timer);
        reject(err);
      }
    });
    ws.on('close', () => welcomed && onClose());
    ws.on('message', (data: Buffer) => {
      if (!welcomed) {
        welcomed = true;
        clearTimeout(timer);
        return resolve(ws);
      }
      onFrame(data);
    });
  });
}
