/**
 * Assigning a conversation by hand asks routing (which comes later in the module order and
 * registers itself here, as the bot's surge probe does) whether the agent has room. A refusal
 * says why; a supervisor (owner, admin, supervisor) may force it with `force: true`.
 */
import type { Ctx } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { assertActiveMember } from '../users/index.ts';

/** The reason the agent cannot take one more chat, or null when they can. */
export type AssignGuard = (s: { db: Executor }, workspaceId: string, agentId: string) => Promise<string | null>;

let guard: AssignGuard = () => Promise.resolve(null);

export function setAssignGuard(g: AssignGuard): void {
  guard = g;
}

const mayForce = new Set(['owner', 'admin', 'supervisor']);

/** The new assignee must be an active member, and (unless forced by a supervisor) have room. */
export async function checkAssignment(
  ctx: Ctx,
  current: string | null,
  patch: { assigneeId?: string | null; force?: boolean },
): Promise<void> {
  const agentId = patch.assigneeId;
  if (!agentId) return;
  await assertActiveMember(ctx, ctx.actor.workspaceId, agentId);
  if (agentId === current) return;
  const force = patch.force;
  if (force && !mayForce.has(ctx.actor.role))
    throw new AppError(403, 'force_not_allowed', "only a supervisor may assign beyond an agent's capacity");
  if (force) return;
  const reason = await guard(ctx, ctx.actor.workspaceId, agentId);
  if (reason) throw new AppError(409, 'agent_full', reason);
}
