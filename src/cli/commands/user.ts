import type { Command } from 'commander';
import { z } from 'zod';
import { RoleSchema } from '../../shared/api.ts';
import { publish, unitOfWork } from '../../server/context.ts';
import { temporaryPassword } from '../../server/lib/crypto.ts';
import { enableUser, insertUser, setPassword, userByEmail } from '../../server/modules/users/index.ts';
import { workspaceBySlug } from '../../server/modules/workspaces/index.ts';
import type { CliIo } from '../io.ts';
import { configFrom, printer, withServices } from '../shared.ts';

export function userCommands(program: Command, io: CliIo): void {
  const print = printer(io);
  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user in a workspace (prints a temporary password unless --password is given)')
    .requiredOption('--workspace <slug>', 'workspace slug, e.g. demo')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--role <role>', `one of ${RoleSchema.options.join(', ')}`, 'agent')
    .option('--password <password>', 'at least 10 characters')
    .action(
      async (o: { workspace: string; email: string; name: string; role: string; password?: string }, cmd: Command) => {
        const role = RoleSchema.parse(o.role);
        const email = z.email().parse(o.email.trim().toLowerCase());
        if (o.password !== undefined && o.password.length < 10)
          throw new Error('the password must have at least 10 characters');
        await withServices(configFrom(cmd, io), async (s) => {
          const ws = await workspaceBySlug(s, o.workspace);
          if (!ws) throw new Error(`no workspace with the slug ${o.workspace}`);
          const { row, temporaryPassword: temp } = await insertUser(s, {
            workspaceId: ws.id,
            email,
            name: o.name,
            role,
            password: o.password,
          });
          print(`created ${row.email} (${row.role}) in ${o.workspace}: ${row.id}`);
          if (temp) print(`temporary password (must be changed at first sign-in): ${temp}`);
        });
      },
    );
  user
    .command('reset')
    .description("reset a user's password, unlock the account, end their sessions and revoke their API tokens")
    .requiredOption('--email <email>')
    .option('--password <password>', 'the new password; a temporary one is printed when omitted')
    .option('--enable', 'also re-enable the account if it was disabled')
    .action(async (o: { email: string; password?: string; enable?: boolean }, cmd: Command) => {
      await withServices(configFrom(cmd, io), async (s) => {
        const row = await userByEmail(s, o.email.trim().toLowerCase());
        if (!row) throw new Error(`no user with the e-mail ${o.email}`);
        const password = o.password ?? temporaryPassword();
        await unitOfWork(s, async (s) => {
          const tokensRevoked = await setPassword(s, row.id, password, !o.password);
          if (o.enable) await enableUser(s, row.id);
          await publish(s, 'user.password_reset', row.workspaceId, 'user', row.id, {
            via: 'cli',
            enabled: !!o.enable,
            tokensRevoked,
          });
        });
        print(o.password ? 'password set' : `temporary password (must be changed at first sign-in): ${password}`);
        if (row.disabled && !o.enable) print('note: the account is disabled; add --enable to re-enable it');
      });
    });
}
