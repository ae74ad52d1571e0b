/**
 * The `kefu` command line: start, migrate, user, workspace, config check, doctor, sla compute, bot eval,
 * penalty compute, report compute/render, keys, backup, restore, ops apply/export, probe run.
 *
 * A command's module (and the server code it imports) is loaded only when that command runs: a
 * `kefu` process pays for what its command uses. `--help`, `help`, an unknown command or anything
 * unusual before the command name loads them all, so help and errors list every command.
 */
import { Command, CommanderError } from 'commander';
import { ZodError, prettifyError } from 'zod';
import { CliExit, type CliIo } from './io.ts';

type AddCommands = (program: Command, io: CliIo) => void;

/** Every top-level command's module, in the order help lists them. */
const commandModules: { names: string[]; load: () => Promise<AddCommands> }[] = [
  { names: ['start'], load: async () => (await import('./commands/start.ts')).startCommand },
  { names: ['migrate'], load: async () => (await import('./commands/migrate.ts')).migrateCommand },
  { names: ['user'], load: async () => (await import('./commands/user.ts')).userCommands },
  { names: ['workspace'], load: async () => (await import('./commands/workspace.ts')).workspaceCommands },
  { names: ['config'], load: async () => (await import('./commands/config.ts')).configCommands },
  { names: ['doctor'], load: async () => (await import('./commands/doctor.ts')).doctorCommand },
  { names: ['sla'], load: async () => (await import('./commands/sla.ts')).slaCommands },
  { names: ['bot'], load: async () => (await import('./commands/bot.ts')).botCommands },
  { names: ['penalty'], load: async () => (await import('./commands/penalty.ts')).penaltyCommands },
  { names: ['report'], load: async () => (await import('./commands/report.ts')).reportCommands },
  { names: ['keys'], load: async () => (await import('./commands/keys.ts')).keysCommands },
  { names: ['backup', 'restore'], load: async () => (await import('./commands/backup.ts')).backupCommands },
  { names: ['ops'], load: async () => (await import('./commands/ops.ts')).opsCommands },
  { names: ['probe'], load: async () => (await import('./commands/probe.ts')).probeCommands },
];

/** The program's own options that take a value (the next argument unless written `--name=value`). */
const globalsWithValue = new Set(['-c', '--config', '--data-dir', '--database-url', '--redis-url', '--log-level']);

/**
 * The command the arguments name, when they name one plainly: only the program's own options
 * before it. Otherwise null (help, an unknown command, an unknown option, `--`).
 */
export function commandNamed(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return commandModules.some((m) => m.names.includes(a)) ? a : null;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (!globalsWithValue.has(name)) return null;
    if (name === a) i++;
  }
  return null;
}

async function buildProgram(io: CliIo, args: readonly string[]): Promise<Command> {
  const program = new Command('kefu')
    .description('Kefu: customer service for e-commerce, with its operations built in')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--data-dir <dir>', 'data folder')
    .option('--database-url <url>', 'PostgreSQL URL (SQLite in the data folder when unset)')
    .option('--redis-url <url>', 'Redis URL for the cross-node bus')
    .option('--log-level <level>', 'log level')
    // Set before the subcommands are added, so that they inherit it: usage errors and --help
    // are written to `io` and end the run with a status instead of exiting the process.
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  const named = commandNamed(args);
  const wanted = named ? commandModules.filter((m) => m.names.includes(named)) : commandModules;
  for (const add of await Promise.all(wanted.map((m) => m.load()))) add(program, io);
  return program;
}

/**
 * Runs one command line (the arguments after `kefu`) and returns its exit status; `failed` when
 * it ended in an error, which the process exits on at once.
 */
export async function runCli(args: string[], io: CliIo): Promise<{ code: number; failed: boolean }> {
  try {
    await (await buildProgram(io, args)).parseAsync(args, { from: 'user' });
    return { code: io.exitCode, failed: false };
  } catch (err) {
    if (err instanceof CliExit) return { code: err.code, failed: true };
    // Commander has written its message (a usage error) or the help already.
    if (err instanceof CommanderError) return { code: err.exitCode, failed: err.exitCode !== 0 };
    io.err(
      `kefu: ${err instanceof ZodError ? prettifyError(err) : err instanceof Error ? err.message : String(err)}\n`,
    );
    return { code: 1, failed: true };
  }
}
