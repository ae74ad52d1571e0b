/**
 * Console notifications (and e-mail when SMTP is configured) for the people an event names: today
 * SLA warnings and breaches; incidents and mentions will add their types. Stored as a type and
 * its parameters, so the console renders them in the reader's language.
 */
import type { Notification, NotificationSubject } from '../../../shared/api.ts';
import type { Ctx, Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { queueMail } from '../../lib/mailer.ts';
import { summaries } from '../conversations/index.ts';
import { activeMembers } from '../users/index.ts';
import { workspaceLanguage } from '../workspaces/index.ts';
import { slaMail } from './messages.ts';
import { own } from './schema.ts';

const linkOf = (subject: { type: string; id: string }): string | null =>
  subject.type === 'ticket' ? `/tickets/${subject.id}` : null;

/** sla.warning / sla.breached → a notification and an e-mail for each person the event names. */
export async function notifySla(e: DomainEvent<'sla.warning' | 'sla.breached'>, s: Services): Promise<void> {
  const { subject, target, cycle, at, notify } = e.data;
  const people = await activeMembers(s, e.workspaceId, notify);
  const link = linkOf(subject);
  const now = s.clock.now().toISOString();
  const lang = await workspaceLanguage(s, e.workspaceId);
  for (const p of people) {
    await own(s.db)
      .insertInto('notifications')
      .values({
        id: newId('ntf'),
        workspace_id: e.workspaceId,
        user_id: p.id,
        type: e.type,
        data: JSON.stringify({ subject, target, cycle, at }),
        link,
        read_at: null,
        created_at: now,
      })
      .execute();
    const breach = e.type === 'sla.breached';
    const ref = subject.number ? `#${subject.number} ` : '';
    const url = link ? `${s.config.publicUrl ?? ''}${link}` : '';
    await queueMail(s, e.workspaceId, {
      to: p.email,
      ...slaMail(lang, { breach, ref, title: subject.title, target, at, url }),
    });
  }
}

export async function listNotifications(ctx: Ctx): Promise<{ items: Notification[]; unread: number }> {
  const rows = await own(ctx.db)
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', ctx.actor.userId)
    .where('workspace_id', '=', ctx.actor.workspaceId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  const items = rows.map((r) => ({
    id: r.id,
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown> & { subject?: NotificationSubject },
    link: r.link,
    read: r.read_at !== null,
    createdAt: r.created_at,
  }));
  // A conversation is named by its customer, read now (never stored in the notification: names are
  // personal data, encrypted in the customers module) and masked for roles without customers.pii.
  const convIds = items.flatMap((n) =>
    n.data.subject?.type === 'conversation' && n.data.subject.id ? [n.data.subject.id] : [],
  );
  const named = await summaries(
    ctx,
    ctx.actor.workspaceId,
    [...new Set(convIds)],
    ctx.actor.permissions.includes('customers.pii'),
  );
  const byId = new Map(named.map((c) => [c.id, c]));
  for (const n of items)
    if (n.data.subject?.type === 'conversation' && n.data.subject.id) {
      const c = byId.get(n.data.subject.id);
      n.data.subject = { ...n.data.subject, customerId: c?.customerId ?? null, customerName: c?.customerName ?? null };
    }
  return { items, unread: rows.filter((r) => !r.read_at).length };
}

export async function markNotificationRead(ctx: Ctx, id: string): Promise<void> {
  const r = await own(ctx.db)
    .updateTable('notifications')
    .set({ read_at: ctx.clock.now().toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', ctx.actor.userId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw notFound('notification');
}
