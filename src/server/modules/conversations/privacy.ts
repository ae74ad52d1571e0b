/**
 * A shopper's conversations for the privacy module (PIPL): what an export contains (every public
 * message, the files the shopper sent or received), and the erasure of their personal content.
 * Erasure keeps each conversation and message row (sequence numbers, times and counts stay true for
 * reports and the widget's replay) but empties every message's text, sender name and attachment
 * list, the conversation's preview, and deletes the attachments' rows; the caller removes their files
 * after the commit. The full-text index follows the rows (triggers); `compactMessageSearch` then
 * rewrites SQLite's index so no deleted term survives in its pages.
 */
import { sql } from 'kysely';
import type { Services } from '../../context.ts';
import { own } from './schema.ts';

export type ExportedAttachment = { id: string; name: string; mime: string; size: number; storageKey: string };
export type ConversationExport = {
  id: string;
  status: string;
  createdAt: string;
  messages: {
    seq: number;
    sender: string;
    senderName: string | null;
    kind: string;
    body: string;
    attachments: { id: string; name: string }[];
    createdAt: string;
  }[];
};

type AttachmentRef = { id: string; name: string };
const refsOf = (json: string): AttachmentRef[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as AttachmentRef[]).filter((a) => typeof a?.id === 'string') : [];
  } catch {
    return [];
  }
};

async function conversationIds(s: Pick<Services, 'db'>, workspaceId: string, customerId: string): Promise<string[]> {
  const rows = await own(s.db)
    .selectFrom('conversations')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}

/** Attachment rows of the workspace used in these messages or uploaded by the shopper. */
async function attachmentRows(s: Pick<Services, 'db'>, workspaceId: string, customerId: string, ids: string[]) {
  return own(s.db)
    .selectFrom('attachments')
    .select(['id', 'name', 'mime', 'size', 'storage_key'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('uploader_type', '=', 'customer'), eb('uploader_id', '=', customerId)]),
        ...(ids.length ? [eb('id', 'in', ids)] : []),
      ]),
    )
    .orderBy('created_at')
    .execute();
}

/** The shopper's conversations with their public messages (no internal notes), and the files in them. */
export async function conversationsForExport(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  customerId: string,
): Promise<{ conversations: ConversationExport[]; attachments: ExportedAttachment[] }> {
  const conversations: ConversationExport[] = [];
  const used = new Set<string>();
  for (const id of await conversationIds(s, workspaceId, customerId)) {
    const c = await own(s.db)
      .selectFrom('conversations')
      .select(['id', 'status', 'created_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const messages = await own(s.db)
      .selectFrom('messages')
      .select(['seq', 'sender_type', 'sender_name', 'kind', 'body', 'attachments', 'created_at'])
      .where('conversation_id', '=', id)
      .where('kind', '!=', 'note')
      .orderBy('seq')
      .execute();
    conversations.push({
      id: c.id,
      status: c.status,
      createdAt: c.created_at,
      messages: messages.map((m) => {
        const refs = refsOf(m.attachments).map((a) => ({ id: a.id, name: a.name }));
        for (const a of refs) used.add(a.id);
        return {
          seq: m.seq,
          sender: m.sender_type,
          senderName: m.sender_name,
          kind: m.kind,
          body: m.body,
          attachments: refs,
          createdAt: m.created_at,
        };
      }),
    });
  }
  const attachments = (await attachmentRows(s, workspaceId, customerId, [...used])).map((a) => ({
    id: a.id,
    name: a.name,
    mime: a.mime,
    size: a.size,
    storageKey: a.storage_key,
  }));
  return { conversations, attachments };
}

export type ConversationErasure = {
  conversations: number;
  messages: number;
  attachments: number;
  files: string[];
  /** The conversations' ids (other modules' records about them: the bot's turns). */
  ids: string[];
};

/**
 * Empties the personal content of the shopper's conversations (every message, notes included: an
 * agent's text quotes the shopper) and deletes the attachments' rows; returns the files to remove
 * once the caller's unit of work has committed.
 */
export async function eraseConversations(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  customerId: string,
): Promise<ConversationErasure> {
  const ids = await conversationIds(s, workspaceId, customerId);
  let messages = 0;
  const used = new Set<string>();
  for (const id of ids) {
    const rows = await own(s.db)
      .selectFrom('messages')
      .select('attachments')
      .where('conversation_id', '=', id)
      .where('attachments', '!=', '[]')
      .execute();
    for (const r of rows) for (const a of refsOf(r.attachments)) used.add(a.id);
    const done = await own(s.db)
      .updateTable('messages')
      .set({ body: '', sender_name: null, attachments: '[]' })
      .where('conversation_id', '=', id)
      .executeTakeFirst();
    messages += Number(done.numUpdatedRows);
    await own(s.db).updateTable('conversations').set({ last_message_preview: null }).where('id', '=', id).execute();
  }
  // The pages they browsed, their device and city (shopper-context.ts).
  await own(s.db)
    .deleteFrom('shopper_context')
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .execute();
  const files = await attachmentRows(s, workspaceId, customerId, [...used]);
  if (files.length)
    await own(s.db)
      .deleteFrom('attachments')
      .where(
        'id',
        'in',
        files.map((f) => f.id),
      )
      .execute();
  return {
    conversations: ids.length,
    messages,
    attachments: files.length,
    files: files.map((f) => f.storage_key),
    ids,
  };
}

/**
 * SQLite: merges the message index's segments, which drops what deleted rows left in them (FTS5
 * keeps a deleted entry's terms until its segment is merged). PostgreSQL's indexes hold no deleted
 * text that a query can reach; VACUUM reclaims the old row versions (docs/SECURITY.md).
 */
export async function compactMessageSearch(s: Pick<Services, 'db' | 'engine'>): Promise<void> {
  if (s.engine === 'sqlite') await sql`insert into messages_fts (messages_fts) values ('optimize')`.execute(s.db);
}

const purgeBatch = 200;

/**
 * Retention of conversations: resolved conversations without activity since `before` lose their
 * messages and files (the conversation row stays, empty, for reports); returns how many.
 */
export async function purgeConversationsBefore(
  s: Pick<Services, 'db' | 'blobs'>,
  workspaceId: string,
  before: string,
): Promise<number> {
  let purged = 0;
  for (;;) {
    const ids = (
      await own(s.db)
        .selectFrom('conversations')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'resolved')
        .where('updated_at', '<', before)
        .where('last_message_preview', 'is not', null)
        .limit(purgeBatch)
        .execute()
    ).map((r) => r.id);
    if (!ids.length) return purged;
    const files = await s.db.transaction().execute(async (tx) => {
      const used = new Set<string>();
      const rows = await own(tx)
        .selectFrom('messages')
        .select('attachments')
        .where('conversation_id', 'in', ids)
        .where('attachments', '!=', '[]')
        .execute();
      for (const r of rows) for (const a of refsOf(r.attachments)) used.add(a.id);
      await own(tx).deleteFrom('messages').where('conversation_id', 'in', ids).execute();
      await own(tx).updateTable('conversations').set({ last_message_preview: null }).where('id', 'in', ids).execute();
      if (!used.size) return [];
      const gone = await own(tx)
        .selectFrom('attachments')
        .select('storage_key')
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', [...used])
        .execute();
      await own(tx)
        .deleteFrom('attachments')
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', [...used])
        .execute();
      return gone.map((g) => g.storage_key);
    });
    for (const key of files) await s.blobs.remove(key);
    purged += ids.length;
  }
}

/** Retention of files: attachments uploaded before `before` (rows and files); returns how many. */
export async function purgeAttachmentsBefore(
  s: Pick<Services, 'db' | 'blobs'>,
  workspaceId: string,
  before: string,
): Promise<number> {
  let purged = 0;
  for (;;) {
    const rows = await own(s.db)
      .selectFrom('attachments')
      .select(['id', 'storage_key'])
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '<', before)
      .limit(purgeBatch)
      .execute();
    if (!rows.length) return purged;
    await own(s.db)
      .deleteFrom('attachments')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    for (const r of rows) await s.blobs.remove(r.storage_key);
    purged += rows.length;
  }
}
