/**
 * Protocol probes beyond a TCP connect: SMTP (the 220 banner, EHLO, optionally STARTTLS with the
 * certificate's expiry, then QUIT) and Redis (PING → PONG, after AUTH when a password is given).
 * Each speaks the protocol over a plain socket, reads at most 64 KiB, and never outlives its
 * timeout: every failure is a result with its reason, never a throw.
 */
import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ProbeInput } from '../../../shared/ops-api.ts';
import { earliestExpiry } from '../../lib/outbound.ts';
import type { CheckResult } from './checks.ts';

const maxBytes = 64 * 1024;

/** Reads replies off a socket: whole lines, or an SMTP reply (its last line has a space after the code). */
class Conversation {
  private buffer = '';
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private total = 0;
  socket: Socket | TLSSocket;

  constructor(socket: Socket | TLSSocket) {
    this.socket = socket;
    this.attach(socket);
  }

  attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.total += chunk.length;
      if (this.total > maxBytes) return this.fail(new Error(`more than ${maxBytes} bytes of replies`));
      this.buffer += chunk.toString('latin1');
      this.wake();
    });
    socket.once('error', (err) => this.fail(err));
    socket.once('close', () => this.fail(new Error('connection closed by the server')));
  }

  /** Stops reading from the current socket (before it is wrapped in TLS). */
  detach(): void {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
  }

  private fail(err: Error) {
    this.failure ??= err;
    this.wake();
  }

  private wake() {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** The next line (without CRLF). */
  async line(): Promise<string> {
    for (;;) {
      const at = this.buffer.indexOf('\r\n');
      if (at >= 0) {
        const line = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + 2);
        return line;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => (this.waiter = r));
    }
  }

  /** One SMTP reply: its code and lines (a multi-line reply continues with `250-`). */
  async smtpReply(): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line();
      if (!/^\d{3}[ -]/.test(line) && line !== '' && !/^\d{3}$/.test(line))
        throw new Error(`not an SMTP reply: ${line.slice(0, 100)}`);
      lines.push(line.slice(4));
      if (line[3] !== '-') return { code: Number(line.slice(0, 3)), lines };
    }
  }

  send(text: string): void {
    this.socket.write(text);
  }
}

/** Opens a socket and runs `talk` on it within `timeoutMs`; the socket is always destroyed. */
async function withSocket(
  host: string,
  port: number,
  timeoutMs: number,
  talk: (c: Conversation) => Promise<Omit<CheckResult, 'durationMs'>>,
): Promise<CheckResult> {
  const started = performance.now();
  const socket = connect({ host, port });
  const c = new Conversation(socket);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Omit<CheckResult, 'durationMs'>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const r = await Promise.race([talk(c).catch((err: unknown) => ({ ok: false, error: reasonOf(err) })), timeout]);
    return { ...r, durationMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
    c.socket.destroy();
    socket.destroy();
  }
}

/** A failed check's reason in words (name resolution, connection, certificate), else the error's message. */
export function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `does not resolve (${e.code})`;
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || e.code === 'SELF_SIGNED_CERT_IN_CHAIN')
    return 'self-signed certificate';
  if (e.code === 'CERT_HAS_EXPIRED') return 'certificate expired';
  if (e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || e.code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY')
    return 'certificate not trusted (unknown issuer)';
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'certificate does not name the host';
  return (e.message ?? String(err)).slice(0, 300);
}

export function checkSmtp(p: Extract<ProbeInput, { type: 'smtp' }>, timeoutMs: number): Promise<CheckResult> {
  return withSocket(p.host, p.port, timeoutMs, async (c) => {
    const banner = await c.smtpReply();
    if (banner.code !== 220) return { ok: false, statusCode: banner.code, error: `banner ${banner.code}` };
    c.send(`EHLO ${p.ehloName}\r\n`);
    let ehlo = await c.smtpReply();
    if (ehlo.code !== 250) return { ok: false, statusCode: ehlo.code, error: `EHLO answered ${ehlo.code}` };
    let certExpiresAt: number | null = null;
    if (p.starttls) {
      if (!ehlo.lines.some((l) => /^STARTTLS\b/i.test(l)))
        return { ok: false, statusCode: ehlo.code, error: 'STARTTLS not offered' };
      c.send('STARTTLS\r\n');
      const ready = await c.smtpReply();
      if (ready.code !== 220) return { ok: false, statusCode: ready.code, error: `STARTTLS answered ${ready.code}` };
      c.detach();
      const plain = c.socket as Socket;
      // SNI takes a host name only; an address is checked against the certificate's IP entries.
      const secure = tlsConnect({
        socket: plain,
        ...(isIP(p.host) ? {} : { servername: p.host }),
        host: p.host,
        rejectUnauthorized: !p.ignoreTls,
      });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
      });
      certExpiresAt = earliestExpiry(secure.getPeerCertificate(true));
      c.attach(secure);
      c.send(`EHLO ${p.ehloName}\r\n`);
      ehlo = await c.smtpReply();
      if (ehlo.code !== 250)
        return { ok: false, statusCode: ehlo.code, error: `EHLO after STARTTLS answered ${ehlo.code}` };
      if (certExpiresAt !== null && certExpiresAt < Date.now())
        return { ok: false, statusCode: 250, certExpiresAt, error: 'certificate expired' };
    }
    c.send('QUIT\r\n');
    return { ok: true, statusCode: 250, certExpiresAt };
  });
}

const resp = (...args: string[]) =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

export function checkRedis(p: Extract<ProbeInput, { type: 'redis' }>, timeoutMs: number): Promise<CheckResult> {
  return withSocket(p.host, p.port, timeoutMs, async (c) => {
    if (p.password) {
      c.send(resp('AUTH', p.password));
      const auth = await c.line();
      if (auth !== '+OK') return { ok: false, error: `AUTH answered ${auth.slice(0, 100)}` };
    }
    c.send(resp('PING'));
    const pong = await c.line();
    if (pong === '+PONG') return { ok: true };
    if (/^-NOAUTH/.test(pong)) return { ok: false, error: 'authentication required' };
    return { ok: false, error: `PING answered ${pong.slice(0, 100)}` };
  });
}
