/**
 * Agents' avatars (issue #16 defect 12). An agent uploads an image (PNG, JPEG or WebP by its
 * bytes, ≤ 1 MiB, 16–4096 px a side), stored as an attachment of the workspace and kept from the
 * purge; or uses generated initials on a colour. Shoppers load it from one public address per
 * agent, served with its true type, `nosniff` and a CSP that runs nothing, so it can never act as
 * a page. The address names the user id only; the account name and e-mail never leave.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { avatarColors, avatarInitials, avatarLimits } from '../../../shared/avatars.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { imageInfo } from '../../lib/image-size.ts';
import { agentAvatar, setOwnAvatar } from '../users/index.ts';
import { assertQuota } from './attachments.ts';
import { own } from './schema.ts';

const tooLarge = () =>
  new AppError(413, 'file_too_large', `an avatar is limited to ${avatarLimits.maxBytes / 1024 / 1024} MiB`);

/** Checks an uploaded avatar's bytes: its type by magic bytes, its size and its dimensions. */
export function checkAvatar(bytes: Buffer): { mime: string } {
  if (bytes.length > avatarLimits.maxBytes) throw tooLarge();
  const info = imageInfo(bytes);
  if (!info) throw new AppError(415, 'unsupported_file_type', 'an avatar must be a PNG, JPEG or WebP image');
  const { width, height } = info;
  const { minSide, maxSide } = avatarLimits;
  if (Math.min(width, height) < minSide || Math.max(width, height) > maxSide)
    throw badRequest(`an avatar must be ${minSide} to ${maxSide} pixels a side (this one is ${width}×${height})`);
  return { mime: info.mime };
}

/** Stores a checked avatar as the workspace's attachment (used at once, so never purged) and makes it the agent's. */
async function saveAvatar(s: Services, req: Parameters<typeof ctxOf>[1], bytes: Buffer): Promise<void> {
  const ctx = ctxOf(s, req);
  const { mime } = checkAvatar(bytes);
  const ws = ctx.actor.workspaceId;
  await assertQuota(s, ws, bytes.length);
  const id = newId('att');
  const key = `attachments/${ws}/${id}`;
  const stored = await s.blobs.put(key, Readable.from([bytes]), avatarLimits.maxBytes);
  const now = s.clock.now().toISOString();
  await own(s.db)
    .insertInto('attachments')
    .values({
      id,
      workspace_id: ws,
      uploader_type: 'agent',
      uploader_id: ctx.actor.userId,
      storage_key: key,
      name: `avatar.${mime.slice('image/'.length)}`,
      mime,
      size: stored.size,
      sha256: stored.sha256,
      created_at: now,
      attached_at: now,
    })
    .execute();
  await releaseReplaced(s, ws, (await setOwnAvatar(ctx, { attachmentId: id })).replaced);
}

/** The avatar an agent no longer uses becomes an unused upload: the attachments purge deletes it. */
async function releaseReplaced(s: Services, workspaceId: string, id: string | null): Promise<void> {
  if (!id) return;
  await own(s.db)
    .updateTable('attachments')
    .set({ attached_at: null })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .execute();
}

const escapeXml = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Generated initials on a colour of the palette, as a small SVG (no scripts, no outside references). */
export function initialsSvg(name: string, color: string): string {
  const fill = avatarColors.includes(color) ? color : avatarColors[0];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<circle cx="48" cy="48" r="48" fill="${fill}"/>` +
    `<text x="48" y="48" dy="0.35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="42" fill="#fff">` +
    `${escapeXml(avatarInitials(name))}</text></svg>`
  );
}

/** Whatever the bytes, the browser treats the answer as an image only: never as a page or a script. */
const imageOnly = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'cross-origin-resource-policy': 'cross-origin',
  'cache-control': 'public, max-age=300',
};

export function avatarRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The signed-in agent's own avatar: an image (multipart, field `file`) …
  r.put(
    '/api/profile/avatar/image',
    {
      config: { permission: 'conversations.manage', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['profile'], summary: 'multipart field `file`: PNG, JPEG or WebP, ≤ 1 MiB, 16–4096 px a side' },
    },
    async (req) => {
      if (!req.isMultipart()) throw badRequest('send the image as multipart/form-data, field `file`');
      const file = await req.file({ limits: { fileSize: avatarLimits.maxBytes, files: 1 } });
      if (!file) throw badRequest('no file in the request');
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
        throw err;
      }
      await saveAvatar(s, req, bytes);
      return { ok: true as const };
    },
  );
  // … or generated initials on a colour of the palette.
  r.put(
    '/api/profile/avatar/initials',
    {
      config: { permission: 'conversations.manage' },
      schema: { tags: ['profile'], body: z.strictObject({ color: z.enum(avatarColors as [string, ...string[]]) }) },
    },
    async (req) => {
      const ctx = ctxOf(s, req);
      await releaseReplaced(s, ctx.actor.workspaceId, (await setOwnAvatar(ctx, { color: req.body.color })).replaced);
      return { ok: true as const };
    },
  );
  // Public: what shoppers' widgets (and the console) show beside an agent's replies.
  r.get(
    '/api/agent-avatars/:id',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['widget'],
        params: z.strictObject({ id: z.string().min(1).max(64) }),
        querystring: z.strictObject({ v: z.string().max(64).optional() }),
      },
    },
    async (req, reply) => {
      const avatar = await agentAvatar(s, req.params.id);
      if (!avatar) throw notFound('avatar');
      reply.headers(imageOnly);
      if (avatar.kind === 'initials')
        return reply
          .header('content-type', 'image/svg+xml; charset=utf-8')
          .send(initialsSvg(avatar.name, avatar.color));
      // Only the workspace's own attachment, and only while it is this agent's avatar.
      const row = await own(s.db)
        .selectFrom('attachments')
        .select(['mime', 'size', 'storage_key'])
        .where('id', '=', avatar.attachmentId)
        .where('workspace_id', '=', avatar.workspaceId)
        .executeTakeFirst();
      if (!row) throw notFound('avatar');
      return reply
        .header('content-type', row.mime)
        .header('content-length', row.size)
        .header('content-disposition', 'inline; filename="avatar"')
        .send(await s.blobs.get(row.storage_key));
    },
  );
}
