import type { Command } from 'commander';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { closeServices, createServices } from '../../server/services.ts';
import { configFrom } from '../shared.ts';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run twice, and from two nodes at once)')
    .action(async (_o, cmd: Command) => {
      const s = createServices({ ...configFrom(cmd), logLevel: 'warn' });
      try {
        const applied = await migrateToLatest(s.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the database is up to date');
      } finally {
        await closeServices(s);
      }
    });
}
