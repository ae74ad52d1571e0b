/**
 * The shopper's location from a local MaxMind database, for real: the test writes a tiny `.mmdb`
 * (testing/mmdb.ts; no GeoLite data is downloaded), the server opens it with the `maxmind` reader,
 * and the sidebar's API shows the city and country of an address in the file, "unknown" for one
 * that is not. A missing or bad file is a configuration error at start, naming the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { buildMmdb, cityRecord } from '../../testing/mmdb.ts';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-geoip-'));
const dbPath = join(dir, 'City.mmdb');
writeFileSync(
  dbPath,
  buildMmdb({
    '203.0.113.0/24': cityRecord({
      city: { en: 'Hangzhou', zh: '杭州' },
      subdivision: { en: 'Zhejiang', zh: '浙江', iso: 'ZJ' },
      country: { en: 'China', zh: '中国', iso: 'CN' },
    }),
    '198.51.100.0/25': cityRecord({ city: { en: 'Sydney' }, country: { en: 'Australia', iso: 'AU' } }),
    '2001:db8:1::/48': cityRecord({
      city: { en: 'Berlin', zh: '柏林' },
      country: { en: 'Germany', zh: '德国', iso: 'DE' },
    }),
  }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(engines)('GeoIP from a local .mmdb on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let publicId: string;

  beforeAll(async () => {
    t = await testApp(engine, { config: { geoipDatabase: dbPath } });
    const ws = await t.workspace('geoip');
    agent = await t.user(ws.id, 'agent');
    publicId = (
      await ws.owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json().publicId;
  });
  afterAll(async () => t?.close());

  /** A shopper's widget session reporting its page from `ip`; what the agent's sidebar then reads. */
  async function shopperFrom(ip: string, visitor: string) {
    const session = (
      await t.app.inject({
        method: 'POST',
        url: `/api/widget/${publicId}/session`,
        remoteAddress: ip,
        payload: { visitorId: `visitor-geoip-${visitor}`, origin: 'https://shop.example.com' },
      })
    ).json();
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/widget/${publicId}/context`,
      remoteAddress: ip,
      headers: { authorization: `Widget ${session.token}` },
      payload: { url: 'https://shop.example.com/cart' },
    });
    expect(r.statusCode).toBe(200);
    return (await agent.get(`/api/customers/${session.customerId}/context`)).json();
  }

  it('shows the city, region and country of an address in the database (Chinese names first)', async () => {
    expect(await shopperFrom('203.0.113.77', 'hz0001')).toMatchObject({
      geoip: true,
      context: { city: '杭州 浙江 中国' },
    });
    expect((await shopperFrom('198.51.100.5', 'syd001')).context.city).toBe('Sydney Australia');
    expect((await shopperFrom('2001:db8:1::42', 'ber001')).context.city).toBe('柏林 德国');
    // An IPv4 address as an IPv6 socket reports it.
    expect((await shopperFrom('::ffff:203.0.113.8', 'hz0002')).context.city).toBe('杭州 浙江 中国');
  });

  it('says "unknown" (no city, GeoIP on) for an address the database does not hold', async () => {
    for (const [ip, v] of [
      ['198.51.100.200', 'out001'], // the other half of the /24
      ['192.0.2.1', 'out002'],
      ['2001:db8:2::1', 'out003'],
    ] as const)
      expect(await shopperFrom(ip, v)).toMatchObject({ geoip: true, context: { city: null } });
  });
});

describe('the geoipDatabase setting', () => {
  const problems = (path: string) => {
    try {
      loadConfig({ env: {}, cwd: dir, flags: { geoipDatabase: path } });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
    return [];
  };

  it('accepts a MaxMind database, a relative path against the working directory', () => {
    expect(problems(dbPath)).toEqual([]);
    expect(loadConfig({ env: {}, cwd: dir, flags: { geoipDatabase: 'City.mmdb' } }).config.geoipDatabase).toBe(dbPath);
  });

  it('refuses a missing file, a folder and a file that is not an .mmdb, saying which and why', () => {
    writeFileSync(join(dir, 'not.mmdb'), 'GeoLite2-City.mmdb.gz was never unpacked');
    expect(problems('missing.mmdb')).toEqual([
      `geoipDatabase: ${join(dir, 'missing.mmdb')} cannot be read (no such file) (from flag --geoip-database)`,
    ]);
    expect(problems(dir)[0]).toBe(`geoipDatabase: ${dir} is not a file (from flag --geoip-database)`);
    expect(problems('not.mmdb')[0]).toMatch(/not\.mmdb is not a MaxMind database \(\.mmdb: no metadata marker\)/);
  });
});
