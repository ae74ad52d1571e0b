/**
 * The `kefu` command line: start, migrate, user, workspace, config check, doctor, sla compute, bot eval,
 * penalty compute, report compute/render, keys, backup, restore, ops apply/export, probe run.
 */
import { Command, CommanderError } from 'commander';
import { backupCommands } from './commands/backup.ts';
import { ZodError, prettifyError } from 'zod';
import { botCommands } from './commands/bot.ts';
import { configCommands } from './commands/config.ts';
import { doctorCommand } from './commands/doctor.ts';
import { keysCommands } from './commands/keys.ts';
import { migrateCommand } from './commands/migrate.ts';
import { opsCommands } from './commands/ops.ts';
import { penaltyCommands } from './commands/penalty.ts';
import { probeCommands } from './commands/probe.ts';
import { reportCommands } from './commands/report.ts';
import { slaCommands } from './commands/sla.ts';
import { startCommand } from './commands/start.ts';
import { userCommands } from './commands/user.ts';
import { workspaceCommands } from './commands/workspace.ts';
import { CliExit, type CliIo } from './io.ts';

function buildProgram(io: CliIo): Command {
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
  for (const add of [
    startCommand,
    migrateCommand,
    userCommands,
    workspaceCommands,
    configCommands,
    doctorCommand,
    slaCommands,
    botCommands,
    penaltyCommands,
    reportCommands,
    keysCommands,
    backupCommands,
    opsCommands,
    probeCommands,
  ])
    add(program, io);
  return program;
}

/**
 * Runs one command line (the arguments after `kefu`) and returns its exit status; `failed` when
 * it ended in an error, which the process exits on at once.
 */
export async function runCli(args: string[], io: CliIo): Promise<{ code: number; failed: boolean }> {
  try {
    await buildProgram(io).parseAsync(args, { from: 'user' });
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
