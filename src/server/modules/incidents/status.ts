/**
 * The workspace's public status page, `/status/<slug>` (no sign-in): monitoring's components with
 * their uptime, and the incidents that affect the workspace — the open ones and those of the last
 * 90 days — with their public updates. Served here rather than by monitoring because it needs both
 * modules and incidents comes after monitoring (monitoring renders, this module gathers).
 *
 * What the public sees of an incident: its number, title, severity, state and times, and the notes
 * marked public. Never its description, internal notes, who did what, another workspace's
 * incidents (only those with a clock for this workspace), drills, or cancelled incidents.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import { renderStatusPage, workspaceHealth, type StatusIncident } from '../monitoring/index.ts';
import { workspaceBySlug } from '../workspaces/index.ts';
import { openStates } from './model.ts';
import { own } from './schema.ts';

/** How far back the page lists incidents, and how many past ones at most. */
export const statusDays = 90;
const pastLimit = 50;

/** The incidents the public status page of a workspace shows: open ones first, then past ones; newest first within each. */
export async function publicIncidents(
  s: Pick<Services, 'db'>,
  workspaceId: string,
  now: Date,
): Promise<StatusIncident[]> {
  const since = new Date(now.getTime() - statusDays * 86_400_000).toISOString();
  const db = own(s.db);
  const base = db
    .selectFrom('incidents')
    .innerJoin('incident_clocks', 'incident_clocks.incident_id', 'incidents.id')
    .where('incident_clocks.workspace_id', '=', workspaceId)
    .where('incidents.mode', '=', 'real')
    .select([
      'incidents.id',
      'incidents.number',
      'incidents.title',
      'incidents.severity',
      'incidents.state',
      'incidents.declared_at',
      'incidents.resolved_at',
    ])
    .orderBy('incidents.declared_at', 'desc')
    .orderBy('incidents.id', 'desc');
  const open = await base.where('incidents.state', 'in', openStates).execute();
  const past = await base
    .where('incidents.state', 'in', ['resolved', 'closed'])
    .where((eb) => eb.or([eb('incidents.declared_at', '>=', since), eb('incidents.resolved_at', '>=', since)]))
    .limit(pastLimit)
    .execute();
  const rows = [...open, ...past];
  if (!rows.length) return [];
  const notes = await db
    .selectFrom('incident_timeline')
    .select(['incident_id', 'data', 'at', 'id'])
    .where(
      'incident_id',
      'in',
      rows.map((r) => r.id),
    )
    .where('type', '=', 'note')
    .where('public', '=', 1)
    .execute();
  notes.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));
  return rows.map((r) => ({
    number: r.number,
    title: r.title,
    severity: r.severity,
    state: r.state as StatusIncident['state'],
    declaredAt: r.declared_at,
    resolvedAt: r.resolved_at,
    // Newest update first, as status pages read.
    updates: notes
      .filter((n) => n.incident_id === r.id)
      .map((n) => ({ at: n.at, body: String((JSON.parse(n.data) as { body?: unknown }).body ?? '') })),
  }));
}

export function statusPageRoute(app: FastifyInstance, s: Services): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/status/:slug',
    {
      config: { auth: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        params: z.strictObject({ slug: z.string().min(1).max(64) }),
        querystring: z.object({ lang: z.enum(['zh-CN', 'en']).optional() }),
        response: { 200: z.string().describe('the public status page (HTML)') },
      },
    },
    async (req, reply) => {
      const w = await workspaceBySlug(s, req.params.slug);
      if (!w) throw notFound('status page');
      const accept = String(req.headers['accept-language'] ?? '');
      const lang =
        req.query.lang ??
        (accept ? (/^zh/i.test(accept) ? 'zh-CN' : 'en') : w.defaultLanguage === 'en' ? 'en' : 'zh-CN');
      const now = s.clock.now();
      const html = renderStatusPage({
        workspaceName: w.name,
        lang,
        components: await workspaceHealth(s, w.id),
        incidents: await publicIncidents(s, w.id, now),
        timeZone: w.timezone,
        now,
      });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=30').send(html);
    },
  );
}
