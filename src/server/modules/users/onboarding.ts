/**
 * A new workspace and its first administrator, in one unit of work. It lives with the accounts
 * (not in the workspaces module) because creating the owner is account business and the
 * workspaces module depends on nothing.
 */
import { publish, unitOfWork, type Ctx, type Scope } from '../../context.ts';
import { insertWorkspace } from '../workspaces/index.ts';
import { insertUser, toUser } from './service.ts';

export type NewWorkspace = {
  name: string;
  slug: string;
  timezone: string;
  defaultLanguage: string;
  admin: { email: string; name: string; password?: string; installationOwner?: boolean; role?: 'owner' | 'admin' };
};

/** Creates the workspace and its owner (seed, CLI, tests); returns the owner's temporary password if generated. */
export async function createWorkspaceWithOwner(s: Scope, input: NewWorkspace) {
  return unitOfWork(s, async (s) => {
    const workspace = await insertWorkspace(s, input);
    const { row: admin, temporaryPassword } = await insertUser(s, {
      workspaceId: workspace.id,
      email: input.admin.email,
      name: input.admin.name,
      role: input.admin.role ?? 'owner',
      password: input.admin.password,
      installationOwner: input.admin.installationOwner,
    });
    await publish(s, 'workspace.created', workspace.id, 'workspace', workspace.id, {
      name: input.name,
      slug: input.slug,
      admin: input.admin.email,
    });
    return { workspace, admin: toUser(admin), temporaryPassword };
  });
}

/** The installation owner creates a merchant's workspace (recorded in both workspaces' audit logs). */
export async function createWorkspace(ctx: Ctx, input: NewWorkspace) {
  return unitOfWork(ctx, async (ctx) => {
    const created = await createWorkspaceWithOwner(ctx, {
      ...input,
      admin: { ...input.admin, installationOwner: false },
    });
    await publish(ctx, 'workspace.created', ctx.actor.workspaceId, 'workspace', created.workspace.id, {
      name: input.name,
      slug: input.slug,
    });
    return created;
  });
}
