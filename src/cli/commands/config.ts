import type { Command } from 'commander';
import { ConfigError, configSchema, envName, loadConfig } from '../../server/config.ts';
import type { CliIo } from '../io.ts';
import { printer } from '../shared.ts';

const secret = /url|key|password|token/i;
const mask = (k: string, v: unknown) =>
  v !== undefined && secret.test(k)
    ? String(v)
        .replace(/\/\/[^/]*@/, '//***@')
        .replace(/^(?!\w+:\/\/).+$/, '***')
    : v;

export function configCommands(program: Command, io: CliIo): void {
  const print = printer(io);
  program
    .command('config')
    .description('configuration')
    .command('check')
    .description('validate the configuration and show each value with where it came from')
    .action((_o, cmd: Command) => {
      const g = cmd.optsWithGlobals<Record<string, string | undefined>>();
      try {
        const { config, sources } = loadConfig({
          configFile: g.config,
          env: io.env,
          cwd: io.cwd,
          flags: { dataDir: g.dataDir, databaseUrl: g.databaseUrl, redisUrl: g.redisUrl, logLevel: g.logLevel },
        });
        print('configuration is valid:');
        for (const key of Object.keys(configSchema.shape) as (keyof typeof config)[]) {
          const value = mask(key, config[key]);
          print(
            `  ${key.padEnd(20)} ${JSON.stringify(value) ?? '(unset)'}  [${sources[key] ?? 'default'}; env ${envName(key)}]`,
          );
        }
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        io.err(err.message + '\n');
        io.exitCode = 2;
      }
    });
}
