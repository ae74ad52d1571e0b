/**
 * The users' side of agents' avatars (issue #16 defect 12): which one an agent has, and setting
 * it. The image itself is an attachment of the workspace (the conversations module stores and
 * serves it); here only its id, or the colour of generated initials.
 */
import { avatarColors, defaultAvatarColor } from '../../../shared/avatars.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { badRequest } from '../../lib/errors.ts';
import { own } from './schema.ts';

export type AgentAvatar =
  | { kind: 'image'; workspaceId: string; attachmentId: string }
  | { kind: 'initials'; workspaceId: string; name: string; color: string };

/** The avatar of an active user (null: unknown or disabled), with the public name for initials. */
export async function agentAvatar(s: { db: Executor }, userId: string): Promise<AgentAvatar | null> {
  const r = await own(s.db)
    .selectFrom('users')
    .select(['workspace_id', 'name', 'display_name', 'avatar_attachment_id', 'avatar_color', 'disabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!r || r.disabled) return null;
  if (r.avatar_attachment_id)
    return { kind: 'image', workspaceId: r.workspace_id, attachmentId: r.avatar_attachment_id };
  return {
    kind: 'initials',
    workspaceId: r.workspace_id,
    name: r.display_name ?? r.name,
    color: r.avatar_color ?? defaultAvatarColor(userId),
  };
}

/**
 * Sets the signed-in user's avatar: an uploaded image (its attachment id) or generated initials
 * on a colour of the palette. Returns the attachment it replaces (the caller lets it be purged).
 */
export async function setOwnAvatar(
  ctx: Ctx,
  avatar: { attachmentId: string } | { color: string },
): Promise<{ replaced: string | null }> {
  if ('color' in avatar && !avatarColors.includes(avatar.color))
    throw badRequest(`the colour must be one of ${avatarColors.join(', ')}`);
  const id = ctx.actor.userId;
  return unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    const before = await db
      .selectFrom('users')
      .select(['avatar_attachment_id', 'avatar_color'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('users')
      .set({
        avatar_attachment_id: 'attachmentId' in avatar ? avatar.attachmentId : null,
        avatar_color: 'color' in avatar ? avatar.color : before.avatar_color,
        updated_at: ctx.clock.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    const kind = (a: string | null) => (a ? 'image' : 'initials');
    await publish(ctx, 'user.updated', ctx.actor.workspaceId, 'user', id, {
      avatar: { from: kind(before.avatar_attachment_id), to: 'attachmentId' in avatar ? 'image' : 'initials' },
    });
    return { replaced: before.avatar_attachment_id };
  });
}
