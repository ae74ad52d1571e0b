import type { Command } from 'commander';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { closeServices, createServices } from '../../server/services.ts';
import type { CliIo } from '../io.ts';
import { configFrom, printer } from '../shared.ts';

export function migrateCommand(program: Command, io: CliIo): void {
  const print = printer(io);
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run twice, and from two nodes at once)')
    .action(async (_o, cmd: Command) => {
      const s = createServices({ ...configFrom(cmd, io), logLevel: 'warn' });
      try {
        const applied = await migrateToLatest(s.db);
        print(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the database is up to date');
      } finally {
        await closeServices(s);
      }
    });
}
