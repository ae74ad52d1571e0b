/**
 * SMTP and Redis probes against real servers: an in-process SMTP server (`smtp-server`) without
 * and with STARTTLS (a self-signed certificate made by openssl for the test), one that refuses
 * EHLO, one that never answers; the Redis at 127.0.0.1:6379 (PING), a closed port, and a fake
 * "Redis" that wants a password.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeInput } from '../../../shared/ops-api.ts';
import { runCheck } from './checks.ts';

const probe = (x: Record<string, unknown>) => ProbeInput.parse({ name: 'p', timeout: '3s', ...x });

/** Listens on a free loopback port; returns it (an SMTPServer keeps its net server in `.server`). */
async function listen(server: SMTPServer | TcpServer): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const net = server instanceof SMTPServer ? (server as unknown as { server: TcpServer }).server : server;
  return (net.address() as AddressInfo).port;
}

describe('SMTP probe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-smtp-'));
  let plain: SMTPServer;
  let tls: SMTPServer;
  let refusing: SMTPServer;
  let silent: TcpServer;
  const ports = { plain: 0, tls: 0, refusing: 0, silent: 0 };

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '30',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    plain = new SMTPServer({ disabledCommands: ['STARTTLS', 'AUTH'], banner: 'kefu test' });
    tls = new SMTPServer({
      disabledCommands: ['AUTH'],
      key: readFileSync(join(dir, 'key.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
    });
    refusing = new SMTPServer({ disabledCommands: ['STARTTLS', 'AUTH'], useXClient: false });
    refusing.onConnect = (_session, cb) => cb(Object.assign(new Error('go away'), { responseCode: 554 }));
    silent = createTcpServer(() => undefined);
    ports.plain = await listen(plain);
    ports.tls = await listen(tls);
    ports.refusing = await listen(refusing);
    ports.silent = await listen(silent);
  });
  afterAll(async () => {
    await Promise.all([plain, tls, refusing].map((s) => new Promise<void>((r) => s.close(() => r()))));
    silent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the banner and the EHLO answer', async () => {
    const r = await runCheck(probe({ type: 'smtp', host: '127.0.0.1', port: ports.plain }), null, Date.now());
    expect(r).toMatchObject({ ok: true, statusCode: 250 });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('upgrades with STARTTLS, refuses a self-signed certificate unless told, and reports its expiry', async () => {
    const strict = await runCheck(
      probe({ type: 'smtp', host: '127.0.0.1', port: ports.tls, starttls: true }),
      null,
      Date.now(),
    );
    expect(strict).toMatchObject({ ok: false, error: 'self-signed certificate' });
    const lenient = await runCheck(
      probe({ type: 'smtp', host: '127.0.0.1', port: ports.tls, starttls: true, ignoreTls: true }),
      null,
      Date.now(),
    );
    expect(lenient.ok, lenient.error).toBe(true);
    const days = (lenient.certExpiresAt! - Date.now()) / 86400_000;
    expect(days).toBeGreaterThan(28);
    expect(days).toBeLessThan(31);
    // A server that does not offer STARTTLS fails a probe that asks for it.
    const missing = await runCheck(
      probe({ type: 'smtp', host: '127.0.0.1', port: ports.plain, starttls: true }),
      null,
      Date.now(),
    );
    expect(missing).toMatchObject({ ok: false, error: 'STARTTLS not offered' });
  });

  it('reports a refusing banner, a closed port and a server that never answers', async () => {
    const refused = await runCheck(probe({ type: 'smtp', host: '127.0.0.1', port: ports.refusing }), null, Date.now());
    expect(refused).toMatchObject({ ok: false, statusCode: 554 });
    const closed = await runCheck(probe({ type: 'smtp', host: '127.0.0.1', port: 1 }), null, Date.now());
    expect(closed).toMatchObject({ ok: false, error: 'connection refused' });
    const started = Date.now();
    const hung = await runCheck(
      probe({ type: 'smtp', host: '127.0.0.1', port: ports.silent, timeout: '500ms' }),
      null,
      Date.now(),
    );
    expect(hung).toMatchObject({ ok: false, error: 'timed out after 500 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('Redis probe', () => {
  let needsAuth: TcpServer;
  let port = 0;
  beforeAll(async () => {
    // Answers as a Redis with requirepass does: NOAUTH until AUTH with the right password.
    needsAuth = createTcpServer((socket) => {
      let authed = false;
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        for (;;) {
          const m = /^\*(\d+)\r\n((?:\$\d+\r\n[^\r]*\r\n)+)/.exec(buffer);
          if (!m) return;
          buffer = buffer.slice(m[0].length);
          const args = [...m[2].matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((x) => x[1]);
          if (args[0] === 'AUTH') {
            authed = args[1] === 's3cret';
            socket.write(authed ? '+OK\r\n' : '-WRONGPASS invalid username-password pair\r\n');
          } else socket.write(authed ? '+PONG\r\n' : '-NOAUTH Authentication required.\r\n');
        }
      });
    });
    port = await listen(needsAuth);
  });
  afterAll(() => void needsAuth.close());

  it('PINGs the real Redis', async () => {
    const r = await runCheck(probe({ type: 'redis', host: '127.0.0.1' }), null, Date.now());
    expect(r.ok, r.error).toBe(true);
  });

  it('reports a closed port, a missing password and a wrong one', async () => {
    expect(await runCheck(probe({ type: 'redis', host: '127.0.0.1', port: 1 }), null, Date.now())).toMatchObject({
      ok: false,
      error: 'connection refused',
    });
    expect(await runCheck(probe({ type: 'redis', host: '127.0.0.1', port }), null, Date.now())).toMatchObject({
      ok: false,
      error: 'authentication required',
    });
    expect(
      await runCheck(probe({ type: 'redis', host: '127.0.0.1', port, password: 'nope' }), null, Date.now()),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^AUTH answered -WRONGPASS/) });
    expect(
      await runCheck(probe({ type: 'redis', host: '127.0.0.1', port, password: 's3cret' }), null, Date.now()),
    ).toMatchObject({ ok: true });
  });
});
