/** The `kefu` command line: start, migrate, user, workspace, config check, doctor. */
import { Command } from 'commander';
import { ZodError, prettifyError } from 'zod';
import { configCommands } from './commands/config.ts';
import { doctorCommand } from './commands/doctor.ts';
import { migrateCommand } from './commands/migrate.ts';
import { slaCommands } from './commands/sla.ts';
import { startCommand } from './commands/start.ts';
import { userCommands } from './commands/user.ts';
import { workspaceCommands } from './commands/workspace.ts';

const program = new Command('kefu')
  .description('Kefu: customer service for e-commerce, with its operations built in')
  .option('-c, --config <file>', 'config file (JSON)')
  .option('--data-dir <dir>', 'data folder')
  .option('--database-url <url>', 'PostgreSQL URL (SQLite in the data folder when unset)')
  .option('--redis-url <url>', 'Redis URL for the cross-node bus')
  .option('--log-level <level>', 'log level')
  .showHelpAfterError();

for (const add of [
  startCommand,
  migrateCommand,
  userCommands,
  workspaceCommands,
  configCommands,
  doctorCommand,
  slaCommands,
])
  add(program);

await program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(
    `kefu: ${err instanceof ZodError ? prettifyError(err) : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
