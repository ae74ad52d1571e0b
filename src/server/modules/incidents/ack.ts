/**
 * The one-click acknowledge link from a notification: works from a phone without signing in.
 * GET shows a page with one button (mail scanners and chat link previews fetch links, so a GET
 * must not acknowledge); POST acknowledges once. Expired, reused or unknown links say so.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AckPage } from './responses.ts';
import { z } from 'zod';
import { unitOfWork, type Services } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { sha256 } from '../../lib/crypto.ts';
import { own } from './schema.ts';
import { transitionIncident } from './service.ts';

const TokenParam = z.strictObject({ token: z.string().min(20).max(100) });

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:480px;margin:40px auto;padding:0 16px;color:#222}button{font-size:18px;padding:12px 24px;width:100%;background:#1677ff;color:#fff;border:0;border-radius:6px}</style></head>
<body><h2>${esc(title)}</h2>${body}</body></html>`;

type Found =
  | {
      ok: true;
      incident: {
        id: string;
        number: number;
        title: string;
        severity: string;
        state: string;
        workspace_id: string;
        acknowledged_by: string | null;
      };
      recipient: string;
    }
  | { ok: false; status: number; message: string };

async function find(s: Services, token: string): Promise<Found> {
  const db = own(s.db);
  const t = await db.selectFrom('incident_ack_tokens').selectAll().where('hash', '=', sha256(token)).executeTakeFirst();
  if (!t) return { ok: false, status: 404, message: '链接无效 / This link is not valid.' };
  if (t.used_at) return { ok: false, status: 410, message: `链接已使用 / This link was already used (${t.used_at}).` };
  if (t.expires_at <= s.clock.now().toISOString())
    return { ok: false, status: 410, message: '链接已过期 / This link has expired.' };
  const incident = await db
    .selectFrom('incidents')
    .selectAll()
    .where('id', '=', t.incident_id)
    .executeTakeFirstOrThrow();
  return { ok: true, incident, recipient: t.recipient };
}

export function ackRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['incidents'];
  const limit = { max: s.config.loginRatePerMinute, timeWindow: '1 minute' };
  r.get(
    '/api/ops/ack/:token',
    { config: { auth: 'public', rateLimit: limit }, schema: { tags, params: TokenParam, response: { 200: AckPage } } },
    async (req, typedReply) => {
      // The pages answer 404, 409 or 410 too (HTML, like the 200): the status is not the schema's.
      const reply = typedReply as FastifyReply;
      const f = await find(s, req.params.token);
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer');
      if (!f.ok) return reply.code(f.status).send(page('无法确认 / Cannot acknowledge', `<p>${esc(f.message)}</p>`));
      const i = f.incident;
      const head = `<p><b>[${esc(i.severity)}] ${esc(i.title)}</b></p><p>状态 State: ${esc(i.state)}</p>`;
      // Only a triggered incident can be acknowledged; otherwise the link shows where it stands (who took it).
      if (i.state !== 'triggered')
        return page(
          `故障 #${i.number}`,
          `${head}${i.acknowledged_by ? `<p>已由 ${esc(i.acknowledged_by)} 确认 / Acknowledged by ${esc(i.acknowledged_by)}</p>` : ''}`,
        );
      return page(
        `确认故障 #${i.number}`,
        `${head}
<form method="post" enctype="text/plain"><button type="submit">确认，我来处理 / Acknowledge</button></form>`,
      );
    },
  );
  r.post(
    '/api/ops/ack/:token',
    { config: { auth: 'public', rateLimit: limit }, schema: { tags, params: TokenParam, response: { 200: AckPage } } },
    async (req, typedReply) => {
      // The pages answer 404, 409 or 410 too (HTML, like the 200): the status is not the schema's.
      const reply = typedReply as FastifyReply;
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      const hash = sha256(req.params.token);
      try {
        const done = await unitOfWork(s, async (tx) => {
          const f = await find(tx, req.params.token);
          if (!f.ok) return f;
          const used = await own(tx.db)
            .updateTable('incident_ack_tokens')
            .set({ used_at: tx.clock.now().toISOString() })
            .where('hash', '=', hash)
            .where('used_at', 'is', null)
            .executeTakeFirst();
          if (Number(used.numUpdatedRows) === 0)
            return { ok: false as const, status: 410, message: '链接已使用 / This link was already used.' };
          await transitionIncident(tx, f.incident.workspace_id, f.incident.id, 'acknowledged', {
            via: 'link',
            actor: { type: 'system', id: null, name: f.recipient },
          });
          return f;
        });
        if (!done.ok)
          return reply.code(done.status).send(page('无法确认 / Cannot acknowledge', `<p>${esc(done.message)}</p>`));
        return page('已确认 / Acknowledged', `<p>#${done.incident.number} ${esc(done.incident.title)}</p>`);
      } catch (err) {
        if (err instanceof AppError && err.status === 409)
          return reply.code(409).send(page('无法确认 / Cannot acknowledge', `<p>${esc(err.message)}</p>`));
        throw err;
      }
    },
  );
}
