import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../../../shared/api.ts';
import * as api from '../../../shared/routing-api.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { applyDefaultCapacities, saveAgentSettings, setMyStatus } from './presence.ts';
import { rulesOf, saveGroupRule, saveRule, workspaceScope } from './rules.ts';
import { noteActivity } from './idle.ts';
import { own } from './schema.ts';
import { saveSurge, surgeState } from './surge.ts';
import { transfer } from './transfer.ts';
import { warRoom } from './warroom.ts';

const RuleParam = z.strictObject({ inboxId: z.union([z.literal(workspaceScope), z.string().min(1).max(64)]) });

export function routingRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['routing'];
  r.get('/api/routing/war-room', { config: { permission: 'conversations.read' }, schema: { tags } }, async (req) =>
    warRoom(ctxOf(s, req)),
  );
  r.get('/api/routing/rules', { config: { permission: 'conversations.read' }, schema: { tags } }, async (req) => {
    const rules = await rulesOf(s, ctxOf(s, req).actor.workspaceId);
    return {
      base: rules.base,
      byInbox: Object.fromEntries(rules.byInbox),
      byGroup: Object.fromEntries(rules.byGroup),
    } satisfies api.RoutingRules;
  });
  r.put(
    '/api/routing/rules/:inboxId',
    { config: { permission: 'settings.manage' }, schema: { tags, params: RuleParam, body: api.RoutingRule } },
    async (req) => {
      const ctx = ctxOf(s, req);
      const rule = await saveRule(ctx, req.params.inboxId, req.body);
      if (req.params.inboxId === workspaceScope)
        await applyDefaultCapacities(ctx, rule.defaultCapacityChat, rule.defaultCapacityTicket);
      return rule;
    },
  );
  r.put(
    '/api/routing/group-rules/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam, body: api.GroupRule } },
    async (req) => saveGroupRule(ctxOf(s, req), req.params.id, req.body),
  );
  r.put(
    '/api/routing/agents/:id',
    { config: { permission: 'settings.manage' }, schema: { tags, params: IdParam, body: api.AgentSettingsBody } },
    async (req) => {
      const ctx = ctxOf(s, req);
      await saveAgentSettings(ctx, req.params.id, req.body);
      return (await warRoom(ctx)).agents.find((a) => a.userId === req.params.id) ?? null;
    },
  );
  // Presence of every agent routing knows (assignee pickers, team pages, conversation headers show it),
  // with their chats (routed and by hand) against their chat capacity: the assign menu shows who is full.
  r.get('/api/routing/presence', { config: { permission: 'conversations.read' }, schema: { tags } }, async (req) => {
    const ws = ctxOf(s, req).actor.workspaceId;
    const rows = await own(s.db)
      .selectFrom('routing_agents')
      .select(['user_id', 'presence', 'presence_since', 'load_chat', 'capacity_chat'])
      .where('workspace_id', '=', ws)
      .execute();
    const manual = await own(s.db)
      .selectFrom('routing_items')
      .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', ws)
      .where('state', '=', 'manual')
      .where('kind', '=', 'chat')
      .groupBy('agent_id')
      .execute();
    const byHand = new Map(manual.map((m) => [m.agent_id, Number(m.n)]));
    return {
      items: rows.map((r) => ({
        userId: r.user_id,
        presence: r.presence,
        since: r.presence_since,
        chats: r.load_chat + (byHand.get(r.user_id) ?? 0),
        capacityChat: r.capacity_chat,
      })),
    };
  });
  r.get('/api/routing/surge', { config: { permission: 'conversations.read' }, schema: { tags } }, async (req) =>
    surgeState(s, ctxOf(s, req).actor.workspaceId),
  );
  r.put(
    '/api/routing/surge',
    { config: { permission: 'settings.manage' }, schema: { tags, body: api.SurgeSettings } },
    async (req) => saveSurge(ctxOf(s, req), req.body),
  );
  // The console reports input (at most once a minute): an agent set away by inactivity comes back.
  r.post(
    '/api/routing/me/activity',
    { config: { permission: 'conversations.manage' }, schema: { tags, body: api.ActivityBody } },
    async (req) => noteActivity(ctxOf(s, req)),
  );
  r.put(
    '/api/routing/me/status',
    { config: { permission: 'conversations.manage' }, schema: { tags, body: api.StatusBody } },
    async (req) => {
      await setMyStatus(ctxOf(s, req), req.body.status);
      return { status: req.body.status };
    },
  );
  r.post(
    '/api/routing/conversations/:id/transfer',
    { config: { permission: 'conversations.manage' }, schema: { tags, params: IdParam, body: api.TransferBody } },
    async (req) => transfer(ctxOf(s, req), req.params.id, req.body),
  );
}
