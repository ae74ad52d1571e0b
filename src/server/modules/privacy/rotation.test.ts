/**
 * Key rotation (issue #9): a second key joins the ring; `rotateKeys` reseals every stored encrypted
 * value (profiles, ticket fields and their timeline, inbox identity keys) under it, a batch at a
 * time, and resumes after an interruption; the running app, which started before the key existed,
 * still reads everything (it reloads the ring) and finds customers by phone (blind indexes derive
 * from key 1). `kefu keys rotate` does the same from the command line, with progress.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/program.ts';
import { addKeyToDataDir, loadKeyRing } from '../../keys.ts';
import { cipherFor, secretKey } from '../../services.ts';
import { dumpDatabase } from '../../testing/db-dump.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { latestRotation, resealTargets, rotateKeys } from './index.ts';

const phone = '13544440001';

describe.each(engines)('key rotation on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let customerId: string;

  beforeAll(async () => {
    t = await testApp(engine);
    ({ owner } = await t.workspace('shop'));
    const inbox = (
      await owner.post('/api/inboxes', {
        name: 'Web',
        settings: {
          allowedOrigins: ['https://shop.example.com'],
          preChat: { enabled: true, fields: ['name', 'phone'], required: [] },
        },
      })
    ).json();
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: {
          visitorId: `visitor-rotation-000${i}`,
          origin: 'https://shop.example.com',
          preChat: { name: `轮换${i}`, phone: i === 0 ? phone : `1354444100${i}` },
        },
      });
      if (i === 0) customerId = res.json().customerId;
    }
    await owner.post('/api/ticket-fields', { key: 'callback', label: 'Callback', type: 'phone' });
    const ticket = await owner.post('/api/tickets', { subject: 'Call', customerId, fields: { callback: phone } });
    expect(ticket.statusCode, ticket.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const sealedWith = async () => {
    const dump = await dumpDatabase(t.s);
    return { v1: dump.match(/v1\.[\w-]{16}\./g)?.length ?? 0, v2: dump.match(/v2\.2\.[\w-]{16}\./g)?.length ?? 0 };
  };

  it('reseals everything under the new key, resumably, and the running app keeps reading and finding', async () => {
    const before = await sealedWith();
    expect(before.v1).toBeGreaterThanOrEqual(8); // 3 names, 3 phones, the ticket field, the inbox key
    expect(before.v2).toBe(0);
    const ring = loadKeyRing(t.env.config, secretKey(t.env.config));
    expect(addKeyToDataDir(t.env.config, ring)).toBe(2);
    const s2 = { ...t.s, cipher: cipherFor(t.env.config) };
    expect(s2.cipher.currentVersion).toBe(2);

    // Interrupted after two batches of one row: it is still running, with its cursor saved.
    const seen: string[] = [];
    const partial = await rotateKeys(s2, {
      batch: 1,
      maxBatches: 2,
      onProgress: (r) => seen.push(r.progress.targetName!),
    });
    expect(partial.status).toBe('running');
    expect(partial.progress).toMatchObject({ target: 0, scanned: 2, resealed: 2 });
    expect(seen).toEqual(['customers', 'customers']);
    const mid = await sealedWith();
    expect(mid.v2).toBe(4); // two profiles: a name and a phone each

    const done = await rotateKeys(s2, { batch: 1 });
    expect(done).toMatchObject({ id: partial.id, status: 'done', keyVersion: 2 });
    expect(done.progress.resealed).toBeGreaterThanOrEqual(5); // 3 profiles, the inbox, the ticket
    expect(await sealedWith()).toEqual({ v1: 0, v2: before.v1 });

    // The app started with key 1 only: it loads key 2 from the ring when it meets it.
    const c = (await owner.get(`/api/customers/${customerId}`)).json();
    expect(c.phone).toBe(phone);
    const found = (await owner.get(`/api/conversations?q=${phone}`)).json();
    expect(found.search?.kind).toBe('phone');
    const tickets = (await owner.get(`/api/tickets?q=${phone}`)).json();
    expect(tickets.items.map((x: { fields: Record<string, unknown> }) => x.fields.callback)).toEqual([phone]);

    // Again: nothing left to do.
    const again = await rotateKeys(s2, { batch: 50 });
    expect(again.progress.resealed).toBe(0);
    expect((await latestRotation(t.s))!.status).toBe('done');
  });
});

// The command line works on the data folder's key ring (SQLite's single-node case).
describe('kefu keys rotate', () => {
  let t: TestApp;
  let owner: Client;
  let customerId: string;
  beforeAll(async () => {
    t = await testApp('sqlite');
    ({ owner } = await t.workspace('shop'));
    const inbox = (
      await owner.post('/api/inboxes', {
        name: 'Web',
        settings: {
          allowedOrigins: ['https://shop.example.com'],
          preChat: { enabled: true, fields: ['phone'], required: [] },
        },
      })
    ).json();
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/widget/${inbox.publicId}/session`,
        payload: {
          visitorId: `visitor-cli-rot-000${i}`,
          origin: 'https://shop.example.com',
          preChat: { phone: `1354444200${i}` },
        },
      });
      if (i === 0) customerId = res.json().customerId;
    }
  });
  afterAll(async () => t?.close());

  it('runs from the command line with progress (kefu keys rotate, status)', async () => {
    const out: string[] = [];
    const io = {
      env: { KEFU_DATA_DIR: t.env.dataDir, KEFU_SECRET_KEY: t.env.config.secretKey!, KEFU_LOG_LEVEL: 'silent' },
      cwd: t.env.dataDir,
      out: (text: string) => void out.push(text),
      err: (text: string) => void out.push(text),
      exitCode: 0,
    };
    const r = await runCli(['keys', 'rotate', '--batch', '2'], io);
    expect(r.code, out.join('')).toBe(0);
    const text = out.join('');
    expect(text).toContain('added key 2');
    expect(text).toMatch(/rotation to key 2: running; customers \(1\/11\), 2 rows read, 2 resealed/);
    expect(text).toContain('done: every stored value is sealed with key 2');
    out.length = 0;
    await runCli(['keys', 'status'], io);
    expect(out.join('')).toMatch(/key versions: 1, 2; current: 2[\s\S]*rotation to key 2: done/);
    const dump = await dumpDatabase(t.s);
    expect(dump).not.toMatch(/v1\.[\w-]{16}\./);
    expect((await owner.get(`/api/customers/${customerId}`)).json().phone).toBe('13544442000');
  });
});

// A module that starts encrypting something must add its reseal batch, or a rotation would leave
// its values under the old key: every module whose code calls `.encrypt(` has a target.
it('has a reseal target for every module that encrypts', () => {
  const modulesDir = join(import.meta.dirname, '..');
  const encrypting = readdirSync(modulesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .filter((d) =>
      readdirSync(join(modulesDir, d.name), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .some((f) => /cipher\.encrypt\(/.test(readFileSync(join(modulesDir, d.name, f), 'utf8'))),
    )
    .map((d) => d.name);
  expect(encrypting).toEqual(expect.arrayContaining(['customers', 'tickets']));
  expect(new Set(resealTargets.map((t) => t.module))).toEqual(new Set(encrypting));
});
