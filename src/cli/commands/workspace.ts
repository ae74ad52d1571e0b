import type { Command } from 'commander';
import { CreateWorkspaceBody } from '../../shared/api.ts';
import { createWorkspaceWithOwner } from '../../server/modules/users/index.ts';
import type { CliIo } from '../io.ts';
import { configFrom, printer, withServices } from '../shared.ts';

export function workspaceCommands(program: Command, io: CliIo): void {
  const print = printer(io);
  program
    .command('workspace')
    .description('manage workspaces')
    .command('create')
    .description('create a workspace with its first administrator (owner)')
    .requiredOption('--name <name>')
    .requiredOption('--slug <slug>')
    .requiredOption('--admin-email <email>')
    .option('--admin-name <name>', 'administrator name', 'Administrator')
    .option('--admin-password <password>')
    .option('--timezone <tz>', 'IANA time zone', 'Asia/Shanghai')
    .option('--language <lang>', 'zh-CN or en', 'zh-CN')
    .action(async (o: Record<string, string | undefined>, cmd: Command) => {
      const input = CreateWorkspaceBody.parse({
        name: o.name,
        slug: o.slug,
        timezone: o.timezone,
        defaultLanguage: o.language,
        admin: { email: o.adminEmail, name: o.adminName, ...(o.adminPassword ? { password: o.adminPassword } : {}) },
      });
      await withServices(configFrom(cmd, io), async (s) => {
        const r = await createWorkspaceWithOwner(s, input);
        print(`created workspace ${r.workspace.slug} (${r.workspace.id}); owner ${r.admin.email}`);
        if (r.temporaryPassword) print(`temporary password (must be changed at first sign-in): ${r.temporaryPassword}`);
      });
    });
}
