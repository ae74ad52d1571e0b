import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startKefu } from '../../server/main.ts';
import type { CliIo } from '../io.ts';
import { configFrom, printer } from '../shared.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the console and the widget when missing or older than their sources (a checkout with dev tools). */
export function ensureConsoleBuilt(io: CliIo): void {
  const print = printer(io);
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite) || !existsSync(join(root, 'src/web'))) return;
  const builds = [
    { out: 'dist/web/index.html', sources: ['src/web', 'src/shared', 'vite.config.ts'], args: [] as string[] },
    {
      out: 'dist/widget/frame.html',
      sources: ['src/widget', 'src/shared', 'vite.widget.config.ts'],
      args: ['--config', 'vite.widget.config.ts'],
    },
  ];
  for (const b of builds) {
    const out = join(root, b.out);
    const sources = b.sources.map((p) => join(root, p)).filter(existsSync);
    if (!sources.length || (existsSync(out) && statSync(out).mtimeMs >= Math.max(...sources.map(newestMtime))))
      continue;
    print(`  Building ${b.out.split('/')[1]} (missing or stale)…`);
    // A production bundle whatever NODE_ENV the caller runs with (a test runner sets `test`).
    const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', ...b.args], {
      cwd: root,
      stdio: 'inherit',
      env: { ...io.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error(`the ${b.out} build failed`);
  }
}

type StartOptions = {
  roles?: string;
  port?: string;
  host?: string;
  build: boolean;
  demo: boolean;
  demoData: boolean;
  readOnly?: boolean;
};

export function startCommand(program: Command, io: CliIo): void {
  const print = printer(io);
  program
    .command('start')
    .description('run Kefu (all roles in one process unless --roles is given)')
    .option('--roles <list>', 'comma-separated: web,realtime,worker,scheduler')
    .option('-p, --port <port>', 'HTTP port')
    .option('--host <host>', 'interface to listen on')
    .option('--no-build', 'do not build the console even if it is missing or stale')
    .option('--no-demo', 'no demo workspace on an empty database, and no /demo shop page')
    .option('--read-only', 'serve the data without changing it (no migrations, jobs or schedules; writes refused)')
    .option('--no-demo-data', "create the demo workspace empty, without a shop's first week")
    .action(async (o: StartOptions, cmd: Command) => {
      const config = configFrom(cmd, io, {
        roles: o.roles,
        port: o.port,
        host: o.host,
        // Only when given: otherwise KEFU_DEMO / the config file decide.
        ...(o.demo === false ? { demo: false } : {}),
        ...(o.demoData === false ? { demoData: false } : {}),
        ...(o.readOnly ? { readOnly: true } : {}),
      });
      if (o.build && config.roles.includes('web')) ensureConsoleBuilt(io);
      const running = await startKefu(config, { print });
      const stop = async (signal: string) => {
        print(`  ${signal}: stopping…`);
        await running.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
