import type { Command } from 'commander';
import { CliExit, type CliIo } from './io.ts';
import { ConfigError, loadConfig, type ConfigInput, type Config } from '../server/config.ts';
import { closeServices, createServices, type ServiceOptions } from '../server/services.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import type { Services } from '../server/context.ts';

/** Configuration from the global flags (plus extra ones), env and file; exits (2) naming every problem (one: one line). */
export function configFrom(cmd: Command, io: CliIo, extra: ConfigInput = {}): Config {
  const g = cmd.optsWithGlobals<Record<string, string | undefined>>();
  try {
    return loadConfig({
      configFile: g.config,
      env: io.env,
      cwd: io.cwd,
      flags: { dataDir: g.dataDir, databaseUrl: g.databaseUrl, redisUrl: g.redisUrl, logLevel: g.logLevel, ...extra },
    }).config;
  } catch (err) {
    if (err instanceof ConfigError) {
      // One problem is one line (a script greps it); several are listed.
      io.err(err.problems.length === 1 ? `kefu: invalid configuration: ${err.problems[0]}\n` : err.message + '\n');
      throw new CliExit(2);
    }
    throw err;
  }
}

/** Writes lines to standard output (console.log's way, for `io`). */
export const printer =
  (io: CliIo) =>
  (...lines: string[]): void => {
    for (const line of lines) io.out(line + '\n');
  };

/** Runs `fn` with migrated services (quiet logs), then closes them. */
export async function withServices<T>(
  config: Config,
  fn: (s: Services) => Promise<T>,
  opts: ServiceOptions = {},
): Promise<T> {
  const s = createServices({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, opts);
  try {
    await migrateToLatest(s.db);
    return await fn(s);
  } finally {
    await closeServices(s);
  }
}
