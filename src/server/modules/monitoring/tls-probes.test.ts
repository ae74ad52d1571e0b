/**
 * HTTPS probes against local TLS servers with certificates made here by the `openssl` CLI: a
 * self-signed one (down: "self-signed certificate"; accepted with `ignoreTls`, its expiry still
 * reported), an expired one signed by a test CA (down: "certificate expired"), a valid one of that CA
 * without and with the probe told to trust it (`ca`): untrusted, then up with
 * `probe_ssl_earliest_cert_expiry` equal to the certificate's notAfter, and the earliest of a chain
 * whose CA expires before its leaf. Run by the probe runner into the series store, on both engines.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeInput } from '../../../shared/ops-api.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { probeByName, saveProbe } from './probes.ts';
import { ProbeRunner } from './runner.ts';
import { SeriesStore } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-tls-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const read = (f: string) => readFileSync(join(dir, f), 'utf8');

/** A leaf for 127.0.0.1 signed by the test CA, valid between two `YYYYMMDDHHMMSSZ` times. */
function leaf(name: string, start: string, end: string): { key: string; cert: string } {
  openssl('req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost');
  openssl(
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.pem',
    '-keyfile',
    'ca.key',
    '-in',
    `${name}.csr`,
    '-out',
    `${name}.pem`,
    '-startdate',
    start,
    '-enddate',
    end,
    '-extensions',
    'leaf',
    '-notext',
  );
  return { key: read(`${name}.key`), cert: read(`${name}.pem`) };
}

const servers: Server[] = [];
async function serve(tls: { key: string; cert: string }): Promise<string> {
  const server = createServer(tls, (_req, res) => void res.writeHead(200).end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const urls: Record<string, string> = {};
let caPem = '';
let caNotAfter = 0;
let selfSignedNotAfter = 0;
const validNotAfter = Date.UTC(2030, 11, 31, 23, 59, 59);

beforeAll(async () => {
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      'database = index.txt',
      'new_certs_dir = .',
      'serial = serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '[leaf]',
      'basicConstraints = CA:FALSE',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '3650',
    '-subj',
    '/CN=Kefu Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  caPem = read('ca.pem');
  caNotAfter = Date.parse(new X509Certificate(caPem).validTo);
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  const self = { key: read('self.key'), cert: read('self.pem') };
  selfSignedNotAfter = Date.parse(new X509Certificate(self.cert).validTo);
  urls.selfSigned = await serve(self);
  urls.expired = await serve(leaf('expired', '20200101000000Z', '20210101000000Z'));
  urls.valid = await serve(leaf('valid', '20240101000000Z', '20301231235959Z'));
  // A leaf that outlives its CA, served with the CA: the chain's earliest expiry is the CA's.
  const long = leaf('long', '20240101000000Z', '20501231235959Z');
  urls.chain = await serve({ key: long.key, cert: long.cert + caPem });
}, 60_000);

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.each(engines)('HTTPS probes on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(engine);
  });
  afterAll(async () => t?.close());

  it('report self-signed, expired, untrusted and trusted certificates and the earliest expiry', async () => {
    const probes: Record<string, Partial<ProbeInput> & { url: string }> = {
      'tls-self-signed': { url: urls.selfSigned },
      'tls-self-signed-ignored': { url: urls.selfSigned, ignoreTls: true },
      'tls-expired': { url: urls.expired, ca: caPem },
      'tls-untrusted': { url: urls.valid },
      'tls-trusted': { url: urls.valid, ca: caPem },
      'tls-chain': { url: urls.chain, ca: caPem },
    };
    const started = Date.now();
    for (const [name, p] of Object.entries(probes))
      await saveProbe(t.s.db, ProbeInput.parse({ name, type: 'http', timeout: '10s', ...p }), new Date());
    const store = new SeriesStore({ db: t.s.db, engine: t.s.engine });
    const runner = new ProbeRunner({
      db: t.s.db,
      log: t.s.log,
      now: () => Date.now(),
      write: (at, samples) => store.write(at, samples),
    });
    await runner.tick();
    await runner.settle();
    const state = async (name: string) => {
      const row = (await probeByName(t.s.db, name))!;
      return { status: row.status, error: row.last_error };
    };
    expect(await state('tls-self-signed')).toEqual({ status: 'down', error: 'self-signed certificate' });
    expect(await state('tls-self-signed-ignored')).toEqual({ status: 'up', error: null });
    expect(await state('tls-expired')).toEqual({ status: 'down', error: 'certificate expired' });
    expect(await state('tls-untrusted')).toEqual({
      status: 'down',
      error: 'certificate not trusted (unknown issuer)',
    });
    expect(await state('tls-trusted')).toEqual({ status: 'up', error: null });
    expect(await state('tls-chain')).toEqual({ status: 'up', error: null });

    const expiry = async (name: string) => {
      const series = await store.read(
        'probe_ssl_earliest_cert_expiry',
        [{ name: 'probe', op: '=', value: name }],
        started - 1000,
        Date.now() + 1000,
      );
      return series[0]?.points.at(-1)?.[1];
    };
    const success = async (name: string) =>
      (
        await store.read('probe_success', [{ name: 'probe', op: '=', value: name }], started - 1000, Date.now() + 1000)
      )[0].points.at(-1)![1];
    expect(await expiry('tls-trusted')).toBe(validNotAfter / 1000);
    expect(await success('tls-trusted')).toBe(1);
    expect(await expiry('tls-chain')).toBe(caNotAfter / 1000);
    expect(caNotAfter).toBeLessThan(Date.UTC(2050, 0, 1));
    expect(await expiry('tls-self-signed-ignored')).toBe(selfSignedNotAfter / 1000);
    expect(await success('tls-self-signed')).toBe(0);
    expect(await success('tls-expired')).toBe(0);
    expect((await probeByName(t.s.db, 'tls-trusted'))!.cert_expires_at).toBe(new Date(validNotAfter).toISOString());
  });

  it('refuses a `ca` that is not PEM certificates', () => {
    const bad = ProbeInput.safeParse({ name: 'x', type: 'http', url: 'https://x.example/', ca: 'not a certificate' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['ca']);
  });
});
