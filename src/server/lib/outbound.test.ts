/**
 * The SSRF guard with a real local HTTP server: loopback refused unless allow-listed, checked
 * after DNS resolution and again on each redirect; endless bodies cut off; hanging targets time out.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, outboundRequest, parseAllowList } from './outbound.ts';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::ffff:10.0.0.1', true],
    ['fd12::1', true],
    ['fe80::1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2606:4700::1111', false],
    ['not-an-ip', true],
  ])('%s → %s', (ip, expected) => expect(isPrivateAddress(ip)).toBe(expected));
});

describe('outboundRequest', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') return void res.writeHead(302, { location: `http://127.0.0.1:${port}/ok` }).end();
      if (req.url === '/endless') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        pump();
        return;
      }
      if (req.url === '/hang') return;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('refuses loopback by address and by name (after resolution)', async () => {
    await expect(outboundRequest(`http://127.0.0.1:${port}/ok`)).rejects.toMatchObject({ code: 'outbound_blocked' });
    await expect(outboundRequest(`http://localhost:${port}/ok`)).rejects.toMatchObject({ code: 'outbound_blocked' });
  });

  it('allows what the installation lists, and checks every redirect again', async () => {
    const byNet = parseAllowList('127.0.0.0/8');
    const ok = await outboundRequest(`http://127.0.0.1:${port}/ok`, { allow: byNet });
    expect([ok.status, ok.body.toString()]).toEqual([200, 'hello']);
    const byName = parseAllowList('localhost');
    expect((await outboundRequest(`http://localhost:${port}/ok`, { allow: byName })).status).toBe(200);
    // localhost is allowed by name; the redirect goes to 127.0.0.1, which is not.
    await expect(outboundRequest(`http://localhost:${port}/redirect`, { allow: byName })).rejects.toMatchObject({
      code: 'outbound_blocked',
    });
    const followed = await outboundRequest(`http://127.0.0.1:${port}/redirect`, { allow: byNet });
    expect([followed.status, followed.redirects, followed.url]).toEqual([200, 1, `http://127.0.0.1:${port}/ok`]);
  });

  it('cuts an endless body off and times a hanging target out', async () => {
    const r = await outboundRequest(`http://127.0.0.1:${port}/endless`, { guard: false, maxBytes: 1 << 20 });
    expect(r.truncated).toBe(true);
    expect(r.body.length).toBe(1 << 20);
    const started = Date.now();
    await expect(outboundRequest(`http://127.0.0.1:${port}/hang`, { guard: false, timeoutMs: 300 })).rejects.toThrow(
      /timed out/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses other schemes and malformed URLs', async () => {
    await expect(outboundRequest('file:///etc/passwd')).rejects.toMatchObject({ code: 'invalid_url' });
    await expect(outboundRequest('::nope')).rejects.toMatchObject({ code: 'invalid_url' });
  });
});
