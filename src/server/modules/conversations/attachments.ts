/**
 * Attachments: uploaded once (by an agent or a shopper), then referenced by messages. Served
 * through short-lived signed URLs so an <img> can show them without credentials. Each workspace
 * has a storage quota, and uploads that no message or ticket reply ever used are purged.
 */
import type { Readable } from 'node:stream';
import type { Attachment } from '../../../shared/realtime/protocol.ts';
import type { Services } from '../../context.ts';
import { BlobTooLargeError } from '../../lib/blobs.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { own } from './schema.ts';

export type AttachmentMeta = { id: string; name: string; mime: string; size: number };
export type Uploader = { workspaceId: string; type: 'agent' | 'customer'; id: string };

export const maxUploadBytes = 10 * 1024 * 1024;
const allowed = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);
// Images are shown inline, so their bytes must be what their type says (no HTML posing as PNG).
const magic: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

function safeName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\\/\0-\x1f"<>]/g, '_')
    .trim()
    .slice(-120);
  return cleaned || 'file';
}

/** Bytes of uploads the workspace keeps. */
export async function storageUsed(s: Services, workspaceId: string): Promise<number> {
  const r = await own(s.db)
    .selectFrom('attachments')
    .select((eb) => eb.fn.sum<number | string | null>('size').as('bytes'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(r?.bytes ?? 0);
}

/** Refuses an upload of `incoming` bytes that would take the workspace over its quota (413 quota_exceeded). */
export async function assertQuota(s: Services, workspaceId: string, incoming: number): Promise<void> {
  const quota = s.config.uploadQuotaMb * 1024 * 1024;
  const used = await storageUsed(s, workspaceId);
  if (used + incoming > quota)
    throw new AppError(
      413,
      'quota_exceeded',
      `this workspace's storage for files is full (${Math.round(used / 1048576)} of ${s.config.uploadQuotaMb} MiB used); delete old conversations' files or ask the administrator to raise uploadQuotaMb`,
    );
}

export async function saveUpload(
  s: Services,
  who: Uploader,
  file: { filename: string; mimetype: string; file: Readable },
): Promise<AttachmentMeta> {
  const mime = file.mimetype.toLowerCase();
  if (!allowed.has(mime)) throw new AppError(415, 'unsupported_file_type', `files of type ${mime} are not accepted`);
  await assertQuota(s, who.workspaceId, 1);
  const id = newId('att');
  const key = `attachments/${who.workspaceId}/${id}`;
  let stored;
  try {
    stored = await s.blobs.put(key, file.file, maxUploadBytes);
  } catch (err) {
    if (err instanceof BlobTooLargeError)
      throw new AppError(413, 'file_too_large', `files are limited to ${maxUploadBytes / 1024 / 1024} MB`);
    throw err;
  }
  if (magic[mime] && !magic[mime](await s.blobs.head(key, 12))) {
    await s.blobs.remove(key);
    throw badRequest(`the file's content is not ${mime}`);
  }
  // Now that the size is known (uploads racing each other can pass the first check together).
  try {
    await assertQuota(s, who.workspaceId, stored.size);
  } catch (err) {
    await s.blobs.remove(key);
    throw err;
  }
  const meta = { id, name: safeName(file.filename), mime, size: stored.size };
  await own(s.db)
    .insertInto('attachments')
    .values({
      ...meta,
      workspace_id: who.workspaceId,
      uploader_type: who.type,
      uploader_id: who.id,
      storage_key: key,
      sha256: stored.sha256,
      created_at: s.clock.now().toISOString(),
      attached_at: null,
    })
    .execute();
  return meta;
}

/**
 * Attachments a sender may put in a message or a ticket reply: their own uploads (agents: any of
 * the workspace's), each marked as used so the purge keeps it. Marking comes first: an upload the
 * purge removed a moment ago is then "unknown", never a dangling reference.
 */
export async function attachmentsFor(s: Services, who: Uploader, ids: string[]): Promise<AttachmentMeta[]> {
  if (!ids.length) return [];
  const unique = [...new Set(ids)];
  let mark = own(s.db)
    .updateTable('attachments')
    .set((eb) => ({ attached_at: eb.fn.coalesce('attached_at', eb.val(s.clock.now().toISOString())) }))
    .where('workspace_id', '=', who.workspaceId)
    .where('id', 'in', unique);
  if (who.type === 'customer') mark = mark.where('uploader_type', '=', 'customer').where('uploader_id', '=', who.id);
  if (Number((await mark.executeTakeFirst()).numUpdatedRows) !== unique.length) throw badRequest('unknown attachment');
  const rows = await own(s.db)
    .selectFrom('attachments')
    .select(['id', 'name', 'mime', 'size'])
    .where('workspace_id', '=', who.workspaceId)
    .where('id', 'in', unique)
    .execute();
  return ids.map((id) => rows.find((r) => r.id === id)!);
}

/** Deletes uploads no message or reply used within `uploadUnattachedHours` (files first kept, then rows). */
export async function purgeUnattached(s: Services): Promise<number> {
  const cutoff = new Date(s.clock.now().getTime() - s.config.uploadUnattachedHours * 3600_000).toISOString();
  let purged = 0;
  for (;;) {
    const rows = await own(s.db)
      .selectFrom('attachments')
      .select(['id', 'storage_key'])
      .where('attached_at', 'is', null)
      .where('created_at', '<', cutoff)
      .limit(200)
      .execute();
    for (const r of rows) {
      // Conditional: a message may have taken it since it was listed.
      const gone = await own(s.db)
        .deleteFrom('attachments')
        .where('id', '=', r.id)
        .where('attached_at', 'is', null)
        .executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) continue;
      await s.blobs.remove(r.storage_key);
      purged++;
    }
    if (rows.length < 200) return purged;
  }
}

const urlTtlMs = 24 * 3600_000;

export function withUrl(s: Services, a: AttachmentMeta): Attachment {
  // Expiry rounded to the hour so the same attachment keeps one URL (browser cache) for a while.
  const exp = Math.ceil((s.clock.now().getTime() + urlTtlMs) / 3600_000) * 3600_000;
  return { ...a, url: `/api/attachments/${a.id}?t=${s.cipher.sign({ a: a.id, e: exp })}` };
}

export async function openAttachment(
  s: Services,
  id: string,
  token: string,
): Promise<{ meta: AttachmentMeta; body: Readable }> {
  const claim = s.cipher.verify<{ a: string; e: number }>(token);
  if (!claim || claim.a !== id || claim.e < s.clock.now().getTime())
    throw new AppError(403, 'bad_signature', 'the link is invalid or expired');
  const row = await own(s.db).selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('attachment');
  return {
    meta: { id: row.id, name: row.name, mime: row.mime, size: row.size },
    body: await s.blobs.get(row.storage_key),
  };
}
