/** `kefu doctor`: checks the environment and prints what is wrong, and how to fix it. */
import { accessSync, constants, existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../../server/config.ts';
import { ping } from '../../server/db/index.ts';
import { pendingMigrations } from '../../server/db/migrate.ts';
import { webDist } from '../../server/http/console.ts';
import { ensurePrivateDir, looseModes } from '../../server/lib/data-dir.ts';
import { closeServices, createServices } from '../../server/services.ts';
import type { CliIo } from '../io.ts';
import { printer } from '../shared.ts';

export type Result = { ok: boolean; warn?: boolean; what: string; detail: string };

async function checks(config: Config): Promise<Result[]> {
  const out: Result[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  out.push({
    ok: major >= 24,
    what: 'Node.js',
    detail: major >= 24 ? process.version : `${process.version} is too old: use npx kefu (runs the pinned Node 26)`,
  });
  try {
    ensurePrivateDir(config.dataDir);
    accessSync(config.dataDir, constants.W_OK);
    const st = await statfs(config.dataDir);
    const freeGb = (st.bavail * st.bsize) / 2 ** 30;
    out.push({
      ok: freeGb >= 0.5,
      what: 'data folder',
      detail: `${config.dataDir} writable, ${freeGb.toFixed(1)} GiB free${freeGb < 0.5 ? ' — free some space' : ''}`,
    });
  } catch (err) {
    out.push({ ok: false, what: 'data folder', detail: `${config.dataDir}: ${(err as Error).message}` });
  }
  out.push(permissionsCheck(config.dataDir));
  let s: ReturnType<typeof createServices> | undefined;
  try {
    s = createServices({ ...config, logLevel: 'silent' });
    await ping(s.db);
    out.push({ ok: true, what: 'database', detail: s.handle.describe });
    const pending = await pendingMigrations(s.db);
    out.push({
      ok: pending.length === 0,
      warn: true,
      what: 'migrations',
      detail: pending.length
        ? `${pending.length} pending (${pending.join(', ')}): run kefu migrate, or start (it migrates)`
        : 'up to date',
    });
    await s.bus.ping();
    out.push({
      ok: true,
      what: 'bus',
      detail: s.bus.kind === 'redis' ? 'Redis reachable' : 'in-process (set REDIS_URL to run several nodes)',
    });
  } catch (err) {
    out.push({ ok: false, what: s ? 'database/bus' : 'services', detail: (err as Error).message });
  } finally {
    if (s) await closeServices(s).catch(() => undefined);
  }
  if (config.databaseUrl && !config.secretKey) {
    out.push({
      ok: false,
      warn: true,
      what: 'secret key',
      detail:
        'on PostgreSQL every node must share KEFU_SECRET_KEY; a per-node key file would make encrypted fields unreadable elsewhere',
    });
  }
  out.push({
    ok: existsSync(`${webDist}index.html`),
    warn: true,
    what: 'console',
    detail: existsSync(`${webDist}index.html`) ? 'built' : 'not built: run npm run build (npm start builds it)',
  });
  return out;
}

/** The data folder (database, key, shoppers' files) must be the Kefu account's alone: 0700 folders, 0600 files. */
export function permissionsCheck(dataDir: string): Result {
  const loose = looseModes(dataDir);
  if (!loose.length) return { ok: true, what: 'data permissions', detail: 'owner only (folders 0700, files 0600)' };
  const shown = loose
    .slice(0, 5)
    .map((l) => `${l.path} (${l.mode})`)
    .join(', ');
  return {
    ok: false,
    warn: true,
    what: 'data permissions',
    detail: `${loose.length} path(s) readable by other accounts: ${shown}${loose.length > 5 ? ', …' : ''} — fix with chmod -R go-rwx ${dataDir}`,
  };
}

export function doctorCommand(program: Command, io: CliIo): void {
  const print = printer(io);
  program
    .command('doctor')
    .description('check the environment and print what is wrong')
    .action(async (_o, cmd: Command) => {
      const g = cmd.optsWithGlobals<Record<string, string | undefined>>();
      let config: Config;
      try {
        config = loadConfig({
          configFile: g.config,
          env: io.env,
          cwd: io.cwd,
          flags: { dataDir: g.dataDir, databaseUrl: g.databaseUrl, redisUrl: g.redisUrl },
        }).config;
        print('✓ configuration valid');
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        print(`✗ configuration\n${err.message}`);
        io.exitCode = 1;
        return;
      }
      const results = await checks(config);
      for (const r of results) print(`${r.ok ? '✓' : r.warn ? '!' : '✗'} ${r.what}: ${r.detail}`);
      const failed = results.filter((r) => !r.ok && !r.warn);
      print(failed.length ? `\n${failed.length} problem(s) found` : '\nno problems found');
      if (failed.length) io.exitCode = 1;
    });
}
