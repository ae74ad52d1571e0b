import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParam } from '../../../../shared/api.ts';
import type { Services } from '../../../context.ts';
import { ctxOf } from '../../../http/context.ts';
import { groupNames } from '../../teams/index.ts';
import * as res from '../responses.ts';
import {
  EscalationBody,
  OverrideBody,
  RotationBody,
  addOverride,
  escalationPolicyOf,
  listOnCall,
  saveEscalationPolicy,
  saveRotation,
} from './service.ts';

export function onCallRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['on-call'];
  const read = { permission: 'ops.read' } as const;
  const manage = { permission: 'ops.manage' } as const;
  r.get('/api/ops/oncall', { config: read, schema: { tags, response: { 200: res.OnCall } } }, async (req) => {
    const ctx = ctxOf(s, req);
    return listOnCall(ctx, ctx.actor.workspaceId, 8);
  });
  r.post(
    '/api/ops/oncall/rotations',
    { config: manage, schema: { tags, body: RotationBody, response: { 200: res.RotationView } } },
    async (req) => saveRotation(ctxOf(s, req), null, req.body),
  );
  r.put(
    '/api/ops/oncall/rotations/:id',
    { config: manage, schema: { tags, params: IdParam, body: RotationBody, response: { 200: res.RotationView } } },
    async (req) => saveRotation(ctxOf(s, req), req.params.id, req.body),
  );
  r.post(
    '/api/ops/oncall/rotations/:id/overrides',
    { config: manage, schema: { tags, params: IdParam, body: OverrideBody, response: { 200: res.RotationView } } },
    async (req) => addOverride(ctxOf(s, req), req.params.id, req.body),
  );
  r.get(
    '/api/ops/escalation-policy',
    { config: read, schema: { tags, response: { 200: res.EscalationView } } },
    async (req) => {
      const ctx = ctxOf(s, req);
      // The workspace's teams by name, for the editor's "group" targets (ops engineers cannot list /api/groups).
      const groups = [...(await groupNames(ctx, ctx.actor.workspaceId))].map(([id, name]) => ({ id, name }));
      return { policy: await escalationPolicyOf(ctx, ctx.actor.workspaceId), groups };
    },
  );
  r.put(
    '/api/ops/escalation-policy',
    { config: manage, schema: { tags, body: EscalationBody, response: { 200: res.EscalationSaved } } },
    async (req) => ({
      policy: await saveEscalationPolicy(ctxOf(s, req), req.body),
    }),
  );
}
