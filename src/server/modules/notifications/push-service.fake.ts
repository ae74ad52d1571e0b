/**
 * A FAKE push service for tests (a browser vendor's push service is a third-party cloud that cannot
 * run here). It is a real HTTP server that does what such a service checks and what the browser
 * then does: verifies the VAPID JWT (ES256 over the `k=` public key, audience = its origin, not
 * expired, a subject) and decrypts the aes128gcm body with the subscriber's keys (RFC 8291 and
 * RFC 8188, written out here with node:crypto, independent of the sender's library).
 */
import { createECDH, createHmac, createDecipheriv, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedPush = { path: string; ttl: string | undefined; jwt: Record<string, unknown>; payload: string };
export type FakePushService = {
  origin: string;
  /** A browser's subscription on this service: the endpoint and the keys the browser would send. */
  subscription(name: string): { endpoint: string; keys: { p256dh: string; auth: string } };
  received: ReceivedPush[];
  refused: { path: string; reason: string }[];
  /** Answer 410 Gone for this endpoint path from now on (the browser unsubscribed). */
  expire(name: string): void;
  close(): Promise<void>;
};

const b64u = (b: Buffer) => b.toString('base64url');
const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291: decrypts one aes128gcm message for the subscriber (ua) with its ECDH keys and auth secret. */
export function decryptWebPush(body: Buffer, ua: ECDH, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const ecdhSecret = ua.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]);
  const ikm = hmac(hmac(authSecret, ecdhSecret), Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record: data, then the delimiter 0x02, then zero padding.
  let end = plain.length - 1;
  while (end > 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('bad padding delimiter');
  return plain.subarray(0, end).toString('utf8');
}

/** Verifies `vapid t=<jwt>, k=<key>`; returns the JWT's claims or throws with the reason. */
function verifyVapid(header: string | undefined, origin: string, now: number): Record<string, unknown> {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`no vapid authorization: ${header}`);
  const [h, p, sig] = m[1].split('.');
  const point = Buffer.from(m[2], 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
  if (!ok) throw new Error('bad JWT signature');
  const head = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  if (head.alg !== 'ES256') throw new Error(`alg ${head.alg}`);
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  if (claims.aud !== origin) throw new Error(`aud ${String(claims.aud)} is not ${origin}`);
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < now || claims.exp * 1000 > now + 24 * 3600_000)
    throw new Error('exp missing, past, or beyond 24 hours');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https?:)/.test(claims.sub)) throw new Error('sub missing');
  return claims;
}

export async function startFakePushService(): Promise<FakePushService> {
  const browsers = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const gone = new Set<string>();
  const received: ReceivedPush[] = [];
  const refused: { path: string; reason: string }[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const name = path.replace(/^\/push\//, '');
      const browser = browsers.get(name);
      if (!browser || gone.has(name)) return void res.writeHead(410).end();
      try {
        if (req.method !== 'POST') throw new Error(`method ${req.method}`);
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('content-encoding is not aes128gcm');
        const jwt = verifyVapid(req.headers.authorization, origin, Date.now());
        const payload = decryptWebPush(Buffer.concat(chunks), browser.ecdh, browser.auth);
        received.push({ path, ttl: req.headers.ttl as string | undefined, jwt, payload });
        res.writeHead(201).end();
      } catch (e) {
        refused.push({ path, reason: e instanceof Error ? e.message : String(e) });
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    refused,
    subscription(name) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      browsers.set(name, { ecdh, auth });
      return { endpoint: `${origin}/push/${name}`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } };
    },
    expire: (name) => void gone.add(name),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
