/**
 * After a transfer both sides hear of it and the thread keeps it: the agent who had the
 * conversation is notified (unless they made the transfer), so is the receiving side — the agent
 * (through "assigned to you", which the assignee change already gives) or, for a group, its members;
 * and an internal note from the system records who moved it where and why; the shopper is told
 * where the chat went (a system line, `shopperTransferText`). Both are chat messages, which only
 * the chat writer commits (never inside a unit of work): a job posts them after the listener's
 * commit, once each (their client ids are the event's).
 */
import type { Services } from '../../context.ts';
import type { DomainEvent } from '../../lib/events/index.ts';
import { newId } from '../../lib/ids.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import type { ModuleListener } from '../../module.ts';
import { commitMessage, getConversationRow, shopperContext } from '../conversations/index.ts';
import { addNotification } from '../notifications/index.ts';
import { groupNames, groupsByMember } from '../teams/index.ts';
import { activeMembers, publicAgentName } from '../users/index.ts';
import { getWorkspace } from '../workspaces/index.ts';

export const transferNoteJob = 'routing.transfer_note';

type NotePayload = {
  conversationId: string;
  eventId: string;
  by: string;
  from: string | null;
  toAgent: string | null;
  /** The receiving agent's id, for the shopper's notice (their public name); absent in older jobs. */
  toAgentId?: string | null;
  toGroup: string | null;
  reason: string | null;
  /** When the transfer happened: the note is dated then, not when its job runs (absent in older jobs). */
  at?: string;
};

async function onTransferred(e: DomainEvent<'routing.transferred'>, s: Services): Promise<void> {
  const id = e.objectId;
  if (!id) return;
  const { from, toAgent, toGroup, reason } = e.data;
  const link = `/inbox?c=${id}`;
  const subject = { type: 'conversation', id, title: '' };
  const groupName = toGroup ? ((await groupNames(s, e.workspaceId)).get(toGroup) ?? '') : '';
  const toName = toAgent ? ((await activeMembers(s, e.workspaceId, [toAgent]))[0]?.name ?? '') : '';
  const data = { subject, by: e.actor.name, toAgent: toName || null, toGroup: groupName || null, reason };
  if (from && from !== e.actor.id && (await activeMembers(s, e.workspaceId, [from])).length)
    await addNotification(s, {
      workspaceId: e.workspaceId,
      userId: from,
      type: 'conversation.transferred',
      data,
      link,
      at: e.at,
    });
  if (toGroup) {
    const members = [...(await groupsByMember(s, e.workspaceId))]
      .filter(([user, groups]) => groups.includes(toGroup) && user !== e.actor.id && user !== from)
      .map(([user]) => user);
    for (const m of await activeMembers(s, e.workspaceId, members))
      await addNotification(s, {
        workspaceId: e.workspaceId,
        userId: m.id,
        type: 'conversation.group_transfer',
        data,
        link,
        at: e.at,
      });
  }
  await enqueue(s.db, s.clock, {
    type: transferNoteJob,
    workspaceId: e.workspaceId,
    payload: {
      conversationId: id,
      eventId: e.id,
      by: e.actor.name ?? '',
      from,
      toAgent: toName || null,
      toAgentId: toAgent,
      toGroup: groupName || null,
      reason,
      at: e.at,
    } satisfies NotePayload,
    uniqueKey: `transfer-note:${e.id}`,
  });
}

/** The note's words, in the workspace's language (an internal note is read by its agents). */
export function transferNoteText(
  p: Omit<NotePayload, 'conversationId' | 'eventId' | 'at'> & { fromName: string | null },
  zh: boolean,
): string {
  const to = p.toGroup ? (zh ? `分组「${p.toGroup}」` : `the group "${p.toGroup}"`) : (p.toAgent ?? '');
  const from = p.fromName ? (zh ? `从 ${p.fromName} ` : ` from ${p.fromName}`) : '';
  const why = p.reason ? (zh ? `，原因：${p.reason}` : `; reason: ${p.reason}`) : '';
  return zh ? `${p.by} 将会话${from}转接给${to}${why}` : `${p.by} transferred the conversation${from} to ${to}${why}`;
}

/**
 * What the shopper is told (a system line in the widget, in their language): where the chat went,
 * by the receiving agent's public name or the group's name; never the reason or who moved it.
 */
export function shopperTransferText(to: { agent: string | null; group: string | null }, zh: boolean): string {
  if (to.group)
    return zh
      ? `您的会话已转接至「${to.group}」，请稍候。`
      : `Your chat was transferred to ${to.group}. Please hold on.`;
  if (to.agent)
    return zh
      ? `您的会话已转接给客服 ${to.agent}，请稍候。`
      : `Your chat was transferred to ${to.agent}. Please hold on.`;
  return zh ? '您的会话已转接给另一位客服，请稍候。' : 'Your chat was transferred to another agent. Please hold on.';
}

export async function postTransferNote(s: Services, workspaceId: string, p: NotePayload): Promise<void> {
  const ws = await getWorkspace(s, workspaceId);
  const fromName = p.from ? ((await activeMembers(s, workspaceId, [p.from]))[0]?.name ?? null) : null;
  const at = p.at ?? s.clock.now().toISOString();
  const post = (clientId: string, kind: 'note' | 'system', body: string) =>
    commitMessage(s, {
      id: newId('msg'),
      workspaceId,
      conversationId: p.conversationId,
      clientId,
      senderType: 'system',
      senderId: 'routing',
      senderName: null,
      kind,
      body,
      attachments: [],
      createdAt: at,
    });
  await post(`transfer-${p.eventId}`, 'note', transferNoteText({ ...p, fromName }, ws.defaultLanguage !== 'en'));
  // The shopper hears of it too, in the language their browser reported (else the workspace's).
  const conv = await getConversationRow(s, workspaceId, p.conversationId);
  const lang = (await shopperContext(s, workspaceId, conv.customer_id))?.language ?? ws.defaultLanguage;
  const toAgent = p.toAgentId ? await publicAgentName(s, p.toAgentId) : null;
  const zh = lang.toLowerCase().startsWith('zh');
  await post(`transfer-${p.eventId}-shopper`, 'system', shopperTransferText({ agent: toAgent, group: p.toGroup }, zh));
}

export const transferListeners: readonly ModuleListener[] = [
  {
    name: 'transferred',
    on: ['routing.transferred'],
    handle: (e, s) => onTransferred(e as DomainEvent<'routing.transferred'>, s),
  },
];
