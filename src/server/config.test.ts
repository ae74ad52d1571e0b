import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, envName, loadConfig, type LoadOptions } from './config.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeFile = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};
/** loadConfig in the temp dir with an empty environment unless given. */
const load = (o: LoadOptions = {}) => loadConfig({ env: {}, cwd: dir, ...o });
const problemsOf = (o: LoadOptions): string[] => {
  try {
    load(o);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const { config, sources } = load();
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      demo: true,
      roles: ['web', 'realtime', 'worker', 'scheduler'],
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(sources).toEqual({});
  });

  it('takes a flag over KEFU_* over the config file over the default, and says where each value came from', () => {
    const configFile = writeFile('kefu.json', { port: 1111, host: '127.0.0.1', logLevel: 'warn' });
    const env = { KEFU_PORT: '2222', KEFU_HOST: '10.0.0.1' };
    const all = load({ configFile, env, flags: { port: 3333 } });
    expect(all.config.port).toBe(3333);
    expect(all.sources.port).toBe('flag --port');
    expect(all.config.host).toBe('10.0.0.1');
    expect(all.sources.host).toBe('environment KEFU_HOST');
    expect(all.config.logLevel).toBe('warn');
    expect(all.sources.logLevel).toBe(`config file ${configFile}`);
    expect(all.config.sessionTtlHours).toBe(12);
    expect(all.sources.sessionTtlHours).toBeUndefined();

    expect(load({ configFile, env }).config.port).toBe(2222);
    expect(load({ configFile }).config.port).toBe(1111);
    expect(load().config.port).toBe(3000);
    // An undefined flag (an option not given on the command line) does not hide the others.
    expect(load({ configFile, env, flags: { port: undefined } }).config.port).toBe(2222);
  });

  it('finds the config file through KEFU_CONFIG, and ./kefu.config.json in the working directory', () => {
    writeFile('kefu.config.json', { port: 4001 });
    expect(load().config.port).toBe(4001);
    writeFile('other.json', { port: 4002 });
    expect(load({ env: { KEFU_CONFIG: 'other.json' } }).config.port).toBe(4002);
    expect(load({ env: { KEFU_CONFIG: 'other.json' }, configFile: 'kefu.config.json' }).config.port).toBe(4001);
  });

  it('names every setting KEFU_<SNAKE_CASE>', () => {
    expect(envName('port')).toBe('KEFU_PORT');
    expect(envName('databaseUrl')).toBe('KEFU_DATABASE_URL');
    expect(envName('loginRatePerMinute')).toBe('KEFU_LOGIN_RATE_PER_MINUTE');
    const { config } = load({
      env: { KEFU_LOGIN_RATE_PER_MINUTE: '7', KEFU_TRUST_PROXY: 'true', KEFU_DEMO: '0', KEFU_ROLES: 'web, worker' },
    });
    // `true` means one proxy in front, never "believe every X-Forwarded-For entry".
    expect(config).toMatchObject({ loginRatePerMinute: 7, trustProxy: 1, demo: false, roles: ['web', 'worker'] });
  });

  it('takes trusted proxies as a hop count or as addresses and CIDRs, and refuses anything else', () => {
    const trust = (v: string) => load({ env: { KEFU_TRUST_PROXY: v } }).config.trustProxy;
    expect(trust('false')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 192.168.1.7,loopback, fd00::/8')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'loopback',
      'fd00::/8',
    ]);
    expect(load().config.trustProxy).toBe(false);
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1,everyone', '99'])
      expect(problemsOf({ env: { KEFU_TRUST_PROXY: bad } })[0]).toMatch(/^trustProxy: give a hop count/);
  });

  it('reads DATABASE_URL and REDIS_URL, with the KEFU_ names taking precedence over them', () => {
    const aliases = load({ env: { DATABASE_URL: 'postgres://db.internal/kefu', REDIS_URL: 'redis://cache:6379' } });
    expect(aliases.config.databaseUrl).toBe('postgres://db.internal/kefu');
    expect(aliases.sources.databaseUrl).toBe('environment DATABASE_URL');
    expect(aliases.config.redisUrl).toBe('redis://cache:6379');
    expect(aliases.sources.redisUrl).toBe('environment REDIS_URL');
    const both = load({ env: { DATABASE_URL: 'postgres://a/x', KEFU_DATABASE_URL: 'postgres://b/y' } });
    expect(both.config.databaseUrl).toBe('postgres://b/y');
    expect(
      load({ env: { DATABASE_URL: 'postgres://a/x' }, flags: { databaseUrl: 'postgresql://c/z' } }).config.databaseUrl,
    ).toBe('postgresql://c/z');
    // An empty variable counts as unset.
    expect(load({ env: { DATABASE_URL: '' } }).config.databaseUrl).toBeUndefined();
  });

  it('reports every problem at once, each naming where the bad value came from', () => {
    const configFile = writeFile('bad.json', { colour: 'blue', host: 'localhost' });
    const problems = problemsOf({ configFile, env: { KEFU_PORT: 'abc' }, flags: { logLevel: 'loud' } });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('port:'))).toContain('environment KEFU_PORT');
    expect(problems.find((p) => p.startsWith('logLevel:'))).toContain('flag --log-level');
    const unknown = problems.find((p) => p.includes('colour'));
    expect(unknown).toMatch(/unknown setting/);
    expect(unknown).toContain(`config file ${configFile}`);
  });

  it('puts all the problems in the error message', () => {
    try {
      load({
        env: { KEFU_PORT: '70000', KEFU_DATABASE_URL: 'mysql://x', KEFU_SECRET_KEY: 'short', KEFU_ROLES: 'web,bogus' },
      });
      expect.unreachable();
    } catch (err) {
      const e = err as ConfigError;
      expect(e.problems).toHaveLength(4);
      expect(e.message).toContain('port:');
      expect(e.message).toContain('databaseUrl: must be a postgres:// URL (from environment KEFU_DATABASE_URL)');
      expect(e.message).toContain('secretKey: must be 64 hex characters');
      expect(e.message).toMatch(/roles: unknown role\(s\) bogus.*\(from environment KEFU_ROLES\)/);
    }
  });

  it('reports an unreadable or malformed config file together with the other problems', () => {
    const broken = writeFile('broken.json', '{ "port": 12,');
    const problems = problemsOf({ configFile: broken, env: { KEFU_LOG_LEVEL: 'loud' } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(`config file ${broken}`);
    expect(problems[1]).toContain('environment KEFU_LOG_LEVEL');
    const missing = problemsOf({ configFile: 'nope.json' });
    expect(missing).toHaveLength(1);
    expect(missing[0]).toContain(join(dir, 'nope.json'));
  });

  it('resolves the data folder against the working directory', () => {
    expect(load().config.dataDir).toBe(join(dir, 'data'));
    expect(load({ flags: { dataDir: 'var/kefu' } }).config.dataDir).toBe(join(dir, 'var/kefu'));
    expect(load({ env: { KEFU_DATA_DIR: '../elsewhere' } }).config.dataDir).toBe(join(dir, '..', 'elsewhere'));
    expect(load({ flags: { dataDir: '/srv/kefu' } }).config.dataDir).toBe('/srv/kefu');
  });

  it('accepts port 0 (any free port) and the range limits', () => {
    expect(load({ flags: { port: '0' } }).config.port).toBe(0);
    expect(load({ flags: { port: 65535 } }).config.port).toBe(65535);
    expect(problemsOf({ flags: { port: -1 } })).toHaveLength(1);
    expect(problemsOf({ flags: { port: '3000.5' } })).toHaveLength(1);
  });
});
