/**
 * The rules every saved view follows (ticket views, inbox views): a person's own, or shared with
 * the workspace, which changes what everyone sees: administrators only. A view's row holds
 * `user_id` = its author, or null when shared.
 */
import type { Ctx } from '../context.ts';
import { forbidden } from './errors.ts';

type ViewOwner = { user_id: string | null };

const administers = (ctx: Ctx) => ctx.actor.permissions.includes('settings.manage');

/** Refuses sharing to anyone but administrators (their own views stay open to all readers). */
export function assertMayShare(ctx: Ctx, shared: boolean): void {
  if (shared && !administers(ctx))
    throw forbidden('only administrators share a view with everyone; save it for yourself');
}

/** Whether the caller sees the view: shared ones and their own. */
export const seesView = (ctx: Ctx, row: ViewOwner) => row.user_id === null || row.user_id === ctx.actor.userId;

/** Whether the caller may rename, change or delete the view: their own; shared ones: administrators. */
export const editsView = (ctx: Ctx, row: ViewOwner) =>
  row.user_id === null ? administers(ctx) : row.user_id === ctx.actor.userId;

/** The row's author to store: null when shared. */
export const viewOwner = (ctx: Ctx, shared: boolean) => (shared ? null : ctx.actor.userId);
