/**
 * FAKE: a local stand-in for an OpenAI-compatible chat-completions endpoint (the third-party LLM
 * API), for tests only. It records every request (path, headers, body) so tests can assert what
 * left Kefu, and answers as the test tells it: a choice and wording computed from the request, a
 * reply that never comes, garbage, or an HTTP error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeEntry = { n: number; question: string; answer: string };
export type FakeAsk = { message: string; phrase: boolean; entries: FakeEntry[] };
export type FakeMode =
  | { kind: 'answer'; reply: (ask: FakeAsk) => { choice: number; answer?: string } }
  | { kind: 'hang' }
  | { kind: 'content'; content: string }
  | { kind: 'raw'; status: number; body: string };

export type FakeOpenAi = {
  url: string;
  received: { path: string; headers: http.IncomingHttpHeaders; body: string }[];
  mode: FakeMode;
  close(): Promise<void>;
};

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const hanging = new Set<http.ServerResponse>();
  const fake: FakeOpenAi = {
    url: '',
    received: [],
    mode: { kind: 'answer', reply: () => ({ choice: 1 }) },
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      fake.received.push({ path: req.url ?? '', headers: req.headers, body });
      const mode = fake.mode;
      if (mode.kind === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (mode.kind === 'raw') {
        res.writeHead(mode.status, { 'content-type': 'application/json' }).end(mode.body);
        return;
      }
      let content: string;
      if (mode.kind === 'content') content = mode.content;
      else {
        const messages = (JSON.parse(body) as { messages: { role: string; content: string }[] }).messages;
        const ask = JSON.parse(messages.find((m) => m.role === 'user')!.content) as FakeAsk;
        const r = mode.reply(ask);
        content = JSON.stringify({ choice: r.choice, answer: r.answer ?? '' });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
