/**
 * The console's rule editor: create, change and delete one alert rule of a group by name (the
 * group is created with its first rule and removed with its last). The same objects as config as
 * code (`kefu ops apply`), so an export shows what the editor saved. The expression is parsed
 * before anything is written; its error comes back with the field it belongs to.
 */
import type { FastifyInstance } from 'fastify';
import { OkResponse, OutcomeResponse } from '../../../shared/ops-responses.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Name, RuleGroupInput, RuleInput } from '../../../shared/ops-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { deleteConfigObject, saveConfigObject } from './config-store.ts';
import { parsePromql, PromqlError } from './promql/parse.ts';
import { own } from './schema.ts';

/** What the editor sends: a rule without its name (the name is in the URL). */
export const RuleBody = RuleInput.omit({ alert: true });
export type RuleBody = z.output<typeof RuleBody>;
const RuleParams = z.strictObject({ group: Name, alert: RuleInput.shape.alert });

/** A problem with one field of the rule, as the editor shows it next to that field. */
const fieldError = (path: string, message: string) =>
  new AppError(400, 'invalid_rule', `${path}: ${message}`, [{ path, message }]);

/** Checks what the schema cannot: the PromQL and the contract's severities. */
export function checkRule(body: RuleBody): void {
  try {
    parsePromql(body.expr);
  } catch (err) {
    if (err instanceof PromqlError) throw fieldError('expr', err.message);
    throw err;
  }
  const severity = body.labels?.severity;
  if (severity !== undefined && !['P1', 'P2', 'P3'].includes(severity))
    throw fieldError('labels.severity', 'severity is P1, P2 or P3');
}

async function groupRow(tx: Ctx, name: string) {
  const row = await own(tx.db)
    .selectFrom('monitoring_config')
    .select(['definition', 'position'])
    .where('kind', '=', 'group')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? { group: RuleGroupInput.parse(JSON.parse(row.definition)), position: row.position } : null;
}

async function groupCount(tx: Ctx): Promise<number> {
  const r = await own(tx.db)
    .selectFrom('monitoring_config')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'group')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const applied = (tx: Ctx, key: string, how: 'created' | 'updated' | 'deleted') =>
  publish(tx, 'ops_config.applied', tx.actor.workspaceId, 'ops_config', 'installation', {
    created: how === 'created' ? [key] : [],
    updated: how === 'updated' ? [key] : [],
    deleted: how === 'deleted' ? [key] : [],
  });

/** Creates or replaces the rule `alert` in `group`; an unchanged rule writes nothing. */
export async function saveRule(
  ctx: Ctx,
  groupName: string,
  alert: string,
  body: RuleBody,
): Promise<'created' | 'updated' | 'unchanged'> {
  checkRule(body);
  return unitOfWork(ctx, async (tx) => {
    const found = await groupRow(tx, groupName);
    const group = found?.group ?? { name: groupName, rules: [] };
    const rule = RuleInput.parse({ alert, ...body });
    const at = group.rules.findIndex((r) => r.alert === alert);
    const rules = at < 0 ? [...group.rules, rule] : group.rules.map((r, i) => (i === at ? rule : r));
    const outcome = await saveConfigObject(
      tx.db,
      'group',
      groupName,
      { ...group, rules },
      found?.position ?? (await groupCount(tx)),
      tx.clock.now(),
    );
    const how = at < 0 ? 'created' : outcome === 'unchanged' ? 'unchanged' : 'updated';
    if (how !== 'unchanged') await applied(tx, `rule/${groupName}/${alert}`, how);
    return how;
  });
}

/** Deletes the rule; a group left without rules goes too. */
export async function deleteRule(ctx: Ctx, groupName: string, alert: string): Promise<void> {
  await unitOfWork(ctx, async (tx) => {
    const found = await groupRow(tx, groupName);
    if (!found?.group.rules.some((r) => r.alert === alert)) throw notFound('rule');
    const rules = found.group.rules.filter((r) => r.alert !== alert);
    if (rules.length)
      await saveConfigObject(tx.db, 'group', groupName, { ...found.group, rules }, found.position, tx.clock.now());
    else await deleteConfigObject(tx.db, 'group', groupName);
    await applied(tx, `rule/${groupName}/${alert}`, 'deleted');
  });
}

export function ruleRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['monitoring'];
  r.put(
    '/api/ops/rules/:group/:alert',
    {
      config: { permission: 'installation.ops' },
      schema: { tags, params: RuleParams, body: RuleBody, response: { 200: OutcomeResponse } },
    },
    async (req) => ({ outcome: await saveRule(ctxOf(s, req), req.params.group, req.params.alert, req.body) }),
  );
  r.delete(
    '/api/ops/rules/:group/:alert',
    { config: { permission: 'installation.ops' }, schema: { tags, params: RuleParams, response: { 200: OkResponse } } },
    async (req) => {
      await deleteRule(ctxOf(s, req), req.params.group, req.params.alert);
      return { ok: true };
    },
  );
}
