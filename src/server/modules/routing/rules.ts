/**
 * Assignment rules: one for the workspace (`*`), optionally one per inbox that replaces it, and
 * optionally a policy per group (rows keyed `group:<id>`) that decides among the group's members.
 */
import { GroupRule, RoutingRule } from '../../../shared/routing-api.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import type { SeedTarget } from '../../module.ts';
import type { Executor } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { memoParse } from '../../lib/parse-memo.ts';
import { inboxById } from '../inboxes/index.ts';
import { groupExists } from '../teams/index.ts';
import { own } from './schema.ts';

type Db = { db: Executor };
export const workspaceScope = '*';
export const defaultRule: RoutingRule = RoutingRule.parse({ enabled: false });

export type Rules = { base: RoutingRule; byInbox: Map<string, RoutingRule>; byGroup: Map<string, GroupRule> };

/** Group policies share the rules table: their key is this prefix + the group's id. */
const groupKey = 'group:';

/** Parsed once per distinct stored text (lib/parse-memo.ts): every arrival reads the rules. */
const parse = memoParse((d) => RoutingRule.parse(JSON.parse(d)));
const parseGroup = memoParse((d) => GroupRule.parse(JSON.parse(d)));

/** The workspace's rules (the default, disabled rule when none was saved). */
export async function rulesOf(s: Db, workspaceId: string): Promise<Rules> {
  const rows = await own(s.db)
    .selectFrom('routing_rules')
    .select(['inbox_id', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const base = rows.find((r) => r.inbox_id === workspaceScope);
  const isGroup = (k: string) => k.startsWith(groupKey);
  return {
    base: base ? parse(base.definition) : defaultRule,
    byInbox: new Map(
      rows
        .filter((r) => r.inbox_id !== workspaceScope && !isGroup(r.inbox_id))
        .map((r) => [r.inbox_id, parse(r.definition)]),
    ),
    byGroup: new Map(
      rows.filter((r) => isGroup(r.inbox_id)).map((r) => [r.inbox_id.slice(groupKey.length), parseGroup(r.definition)]),
    ),
  };
}

/**
 * The policy that picks the agent for an item: its group's when the group has an enabled one
 * (assignment within a group follows the group), else its inbox's rule.
 */
export function policyFor(
  rules: Rules,
  inboxId: string | null,
  groupId: string | null,
): Pick<RoutingRule, 'strategy' | 'stickyMinutes'> {
  const g = groupId ? rules.byGroup.get(groupId) : undefined;
  return g?.enabled ? g : ruleFor(rules, inboxId);
}

export const ruleFor = (rules: Rules, inboxId: string | null): RoutingRule =>
  (inboxId && rules.byInbox.get(inboxId)) || rules.base;

/** Whether routing runs for any inbox of the workspace. */
export const routingOn = (rules: Rules): boolean =>
  rules.base.enabled || [...rules.byInbox.values()].some((r) => r.enabled);

export async function saveRule(ctx: Ctx, inboxId: string, rule: RoutingRule): Promise<RoutingRule> {
  const ws = ctx.actor.workspaceId;
  if (inboxId !== workspaceScope && !(await inboxById(ctx, ws, inboxId))) throw notFound('inbox');
  if (rule.groupId && !(await groupExists(ctx, ws, rule.groupId))) throw notFound('group');
  await store(ctx, inboxId, rule, { inboxId, strategy: rule.strategy, enabled: rule.enabled });
  return rule;
}

/** A group's own policy (404 for a group of another workspace). */
export async function saveGroupRule(ctx: Ctx, groupId: string, rule: GroupRule): Promise<GroupRule> {
  const ws = ctx.actor.workspaceId;
  if (!(await groupExists(ctx, ws, groupId))) throw notFound('group');
  await store(ctx, groupKey + groupId, rule, {
    inboxId: groupKey + groupId,
    strategy: rule.strategy,
    enabled: rule.enabled,
  });
  return rule;
}

async function store(
  ctx: Ctx,
  key: string,
  rule: RoutingRule | GroupRule,
  event: { inboxId: string; strategy: string; enabled: boolean },
): Promise<void> {
  const ws = ctx.actor.workspaceId;
  const inboxId = key;
  const now = ctx.clock.now().toISOString();
  await unitOfWork(ctx, async (ctx) => {
    await own(ctx.db)
      .insertInto('routing_rules')
      .values({ workspace_id: ws, inbox_id: inboxId, definition: JSON.stringify(rule), updated_at: now })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'inbox_id']).doUpdateSet({ definition: JSON.stringify(rule), updated_at: now }),
      )
      .execute();
    await publish(ctx, 'routing.rule_saved', ws, 'routing_rule', inboxId, event);
  });
}

/** The demo workspace routes by default: least-busy, 5 chats per agent, the surge notice in Chinese. */
export async function seedRouting(s: Services, target: SeedTarget): Promise<void> {
  const rule = RoutingRule.parse({
    enabled: true,
    strategy: 'least_busy',
    defaultCapacityChat: 5,
    maxWaitSeconds: 180,
    notice: '当前咨询量较大，客服正在逐一接待，请您耐心等待；也可以先留言，我们会尽快回复。',
  });
  await own(s.db)
    .insertInto('routing_rules')
    .values({
      workspace_id: target.workspaceId,
      inbox_id: workspaceScope,
      definition: JSON.stringify(rule),
      updated_at: s.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'inbox_id']).doNothing())
    .execute();
}
