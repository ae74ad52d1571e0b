/**
 * Attachments: uploaded once (by an agent or a shopper), then referenced by messages. Served
 * through short-lived signed URLs so an <img> can show them without credentials.
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

export async function saveUpload(
  s: Services,
  who: Uploader,
  file: { filename: string; mimetype: string; file: Readable },
): Promise<AttachmentMeta> {
  const mime = file.mimetype.toLowerCase();
  if (!allowed.has(mime)) throw new AppError(415, 'unsupported_file_type', `files of type ${mime} are not accepted`);
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
    })
    .execute();
  return meta;
}

/** Attachments a sender may put in a message: their own uploads (agents: any of the workspace). */
export async function attachmentsFor(s: Services, who: Uploader, ids: string[]): Promise<AttachmentMeta[]> {
  if (!ids.length) return [];
  let q = own(s.db)
    .selectFrom('attachments')
    .select(['id', 'name', 'mime', 'size'])
    .where('workspace_id', '=', who.workspaceId)
    .where('id', 'in', ids);
  if (who.type === 'customer') q = q.where('uploader_type', '=', 'customer').where('uploader_id', '=', who.id);
  const rows = await q.execute();
  if (rows.length !== new Set(ids).size) throw badRequest('unknown attachment');
  return ids.map((id) => rows.find((r) => r.id === id)!);
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
