/**
 * Config as code: one document (YAML or JSON) of components, probes, rule groups in Prometheus's
 * rule-file shape, silences, maintenance windows and inhibition rules, applied by name
 * (idempotent: an unchanged object stays untouched), with a diff, a dry run and pruning of what the
 * document no longer names. `kefu ops apply` and `PUT /api/ops/config` share it; it works on the
 * database whether or not a server runs, and running servers read the change at their next tick.
 */
import { parseDocument } from 'yaml';
import { OpsConfig, type ComponentInput, type ProbeInput } from '../../../shared/ops-api.ts';
import { publish, unitOfWork, type Scope } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { homeWorkspaceId } from '../users/index.ts';
import { listWorkspaces, workspaceBySlug } from '../workspaces/index.ts';
import { builtInComponents } from './components.ts';
import { configNames, deleteConfigObject, saveConfigObject, type ConfigKind } from './config-store.ts';
import { parsePromql, PromqlError, selectorsOf } from './promql/parse.ts';
import { definitionOf, deleteProbe, listProbes, saveProbe } from './probes.ts';
import { own } from './schema.ts';
import { configOf } from './suppression.ts';
import { shippedHashes, upgradeDefaultRules, type DefaultsResult } from './default-upgrades.ts';

export type ApplyResult = {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
  warnings: string[];
};

/** Metric names Kefu writes whatever is configured (probe series appear with the first probe). */
const alwaysKnown = [
  'probe_success',
  'probe_duration_seconds',
  'probe_http_status_code',
  'probe_ssl_earliest_cert_expiry',
  'kefu_probe_up',
];

/** Parses a YAML or JSON document and validates it; every problem with its path. */
export function parseOpsDocument(text: string): { config: OpsConfig | null; problems: string[] } {
  const doc = parseDocument(text);
  if (doc.errors.length)
    return {
      config: null,
      problems: doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`),
    };
  return validateOpsConfig(doc.toJS() ?? {});
}

/** Validates a parsed document: the schema, then each rule's PromQL; every problem with its path. */
export function validateOpsConfig(input: unknown): { config: OpsConfig | null; problems: string[] } {
  const parsed = OpsConfig.safeParse(input);
  if (!parsed.success)
    return {
      config: null,
      problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`),
    };
  const problems: string[] = [];
  const unique = (what: string, names: string[]) => {
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (seen.has(n)) problems.push(`${what}.${i}.name: ${n} is named twice`);
      seen.add(n);
    });
  };
  const c = parsed.data;
  unique(
    'components',
    c.components.map((x) => x.name),
  );
  unique(
    'probes',
    c.probes.map((x) => x.name),
  );
  unique(
    'groups',
    c.groups.map((x) => x.name),
  );
  unique(
    'silences',
    c.silences.map((x) => x.name),
  );
  unique(
    'maintenance',
    c.maintenance.map((x) => x.name),
  );
  unique(
    'inhibit_rules',
    c.inhibit_rules.map((x) => x.name),
  );
  c.groups.forEach((g, gi) =>
    g.rules.forEach((r, ri) => {
      try {
        parsePromql(r.expr);
      } catch (err) {
        problems.push(`groups.${gi}.rules.${ri}.expr: ${err instanceof PromqlError ? err.message : String(err)}`);
      }
    }),
  );
  c.maintenance.forEach((m, i) => {
    if (!m.recurring && !(m.startsAt && m.endsAt))
      problems.push(`maintenance.${i}: give startsAt and endsAt, or recurring`);
  });
  return problems.length ? { config: null, problems } : { config: c, problems: [] };
}

class DryRun extends Error {}

async function applyComponents(db: Executor, list: ComponentInput[], r: ApplyResult, prune: boolean, now: string) {
  const t = own(db);
  const existing = await t.selectFrom('monitoring_components').selectAll().execute();
  for (const [position, c] of list.entries()) {
    const ids: string[] = [];
    for (const slug of c.workspaces ?? []) {
      const w = await workspaceBySlug({ db }, slug);
      if (!w) throw new Error(`components.${position}.workspaces: no workspace ${slug}`);
      ids.push(w.id);
    }
    const builtIn = builtInComponents.find((b) => b.name === c.name);
    const row = {
      title: c.title,
      title_en: c.titleEn ?? builtIn?.titleEn ?? c.title,
      description: c.description ?? '',
      workspaces: c.workspaces ? JSON.stringify(ids) : null,
      position,
    };
    const old = existing.find((e) => e.name === c.name);
    const key = `component/${c.name}`;
    if (!old) {
      await t
        .insertInto('monitoring_components')
        .values({ name: c.name, ...row, created_at: now, updated_at: now })
        .execute();
      r.created.push(key);
    } else if (
      old.title !== row.title ||
      old.title_en !== row.title_en ||
      old.description !== row.description ||
      old.workspaces !== row.workspaces ||
      old.position !== row.position
    ) {
      await t
        .updateTable('monitoring_components')
        .set({ ...row, updated_at: now })
        .where('name', '=', c.name)
        .execute();
      r.updated.push(key);
    } else r.unchanged.push(key);
  }
  if (prune)
    for (const old of existing)
      if (!list.some((c) => c.name === old.name)) {
        await t.deleteFrom('monitoring_components').where('name', '=', old.name).execute();
        r.deleted.push(`component/${old.name}`);
      }
}

async function applyProbes(db: Executor, list: ProbeInput[], r: ApplyResult, prune: boolean, now: Date) {
  for (const p of list) {
    const outcome = await saveProbe(db, p, now);
    r[outcome === 'created' ? 'created' : outcome === 'updated' ? 'updated' : 'unchanged'].push(`probe/${p.name}`);
  }
  if (prune)
    for (const row of await listProbes(db))
      if (!list.some((p) => p.name === row.name)) {
        await deleteProbe(db, row.name);
        r.deleted.push(`probe/${row.name}`);
      }
}

async function applyObjects(
  db: Executor,
  kind: ConfigKind,
  list: { name: string }[],
  r: ApplyResult,
  prune: boolean,
  now: Date,
) {
  for (const [i, o] of list.entries()) {
    const outcome = await saveConfigObject(db, kind, o.name, o, i, now);
    r[outcome === 'created' ? 'created' : outcome === 'updated' ? 'updated' : 'unchanged'].push(`${kind}/${o.name}`);
  }
  if (prune)
    for (const name of await configNames(db, kind))
      if (!list.some((o) => o.name === name)) {
        await deleteConfigObject(db, kind, name);
        r.deleted.push(`${kind}/${name}`);
      }
}

/**
 * Applies a validated document in one transaction (a dry run rolls it back and reports the same
 * diff). Objects are matched by name; with `prune`, objects of each kind the document does not name
 * are deleted. Warnings name metrics that no series carries yet.
 */
export async function applyOpsConfig(
  s: Scope,
  config: OpsConfig,
  o: { dryRun?: boolean; prune?: boolean; knownMetrics?: readonly string[] } = {},
): Promise<ApplyResult> {
  const r: ApplyResult = { created: [], updated: [], deleted: [], unchanged: [], warnings: [] };
  const known = new Set([...alwaysKnown, ...(o.knownMetrics ?? [])]);
  for (const g of config.groups)
    for (const rule of g.rules)
      for (const sel of selectorsOf(parsePromql(rule.expr)))
        if (o.knownMetrics && !known.has(sel.name))
          r.warnings.push(`groups.${g.name}.${rule.alert}: no series named ${sel.name} yet`);
  const prune = !!o.prune;
  try {
    await unitOfWork(s, async (tx) => {
      const now = tx.clock.now();
      await applyComponents(tx.db, config.components, r, prune, now.toISOString());
      await applyProbes(tx.db, config.probes, r, prune, now);
      await applyObjects(tx.db, 'group', config.groups, r, prune, now);
      await applyObjects(tx.db, 'silence', config.silences, r, prune, now);
      await applyObjects(tx.db, 'maintenance', config.maintenance, r, prune, now);
      await applyObjects(tx.db, 'inhibit', config.inhibit_rules, r, prune, now);
      const home = tx.actor?.workspaceId ?? (await homeWorkspaceId(tx));
      if (home && (r.created.length || r.updated.length || r.deleted.length))
        await publish(tx, 'ops_config.applied', home, 'ops_config', 'installation', {
          created: r.created,
          updated: r.updated,
          deleted: r.deleted,
        });
      if (o.dryRun) throw new DryRun();
    });
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
  }
  return r;
}

/** The current configuration as a document (what `kefu ops export` writes). */
export async function exportOpsConfig(db: Executor): Promise<OpsConfig> {
  const comps = await own(db)
    .selectFrom('monitoring_components')
    .selectAll()
    .orderBy('position')
    .orderBy('name')
    .execute();
  const slugs = new Map((await listWorkspaces({ db })).map((w) => [w.id, w.slug]));
  return OpsConfig.parse({
    components: comps.map((c) => ({
      name: c.name,
      title: c.title,
      titleEn: c.title_en,
      ...(c.description ? { description: c.description } : {}),
      ...(c.workspaces ? { workspaces: (JSON.parse(c.workspaces) as string[]).map((id) => slugs.get(id) ?? id) } : {}),
    })),
    probes: (await listProbes(db)).map(definitionOf),
    groups: await configOf(db, 'group', (v) => v),
    silences: await configOf(db, 'silence', (v) => v),
    maintenance: await configOf(db, 'maintenance', (v) => v),
    inhibit_rules: await configOf(db, 'inhibit', (v) => v),
  });
}

/** The readable diff `kefu ops apply` prints. */
export function formatApplyResult(r: ApplyResult, dryRun: boolean): string {
  const lines: string[] = [];
  for (const x of r.created) lines.push(`+ ${x}`);
  for (const x of r.updated) lines.push(`~ ${x}`);
  for (const x of r.deleted) lines.push(`- ${x}`);
  for (const w of r.warnings) lines.push(`! ${w}`);
  lines.push(
    `${dryRun ? 'would apply' : 'applied'}: ${r.created.length} created, ${r.updated.length} updated, ${r.deleted.length} deleted, ${r.unchanged.length} unchanged`,
  );
  return lines.join('\n') + '\n';
}

/**
 * The built-in rules of the first release (group/alert): an installation whose marker row predates
 * the record of offered rules was offered these, so those of them it lacks were deleted on purpose.
 */
const firstReleaseRules = [
  'contract-p1/ChatEntryPointsDown',
  'contract-p1/DatabaseUnreachable',
  'contract-p2/TicketsNotFlowing',
  'contract-p2/CoreChannelDown',
  'contract-p2/BotOffline',
  'contract-p2/AgentRoundTripSlow',
  'contract-p3/ConsoleErrorRate',
  'contract-p3/ReportLate',
  'capacity/DiskFullWithin24h',
  'capacity/MemoryLow',
  'capacity/EventLoopDelayHigh',
  'capacity/TlsCertificateExpiring',
];

/** `ruleHashes`: the definition of each built-in rule as last offered (default-upgrades.ts). */
type DefaultsMarker = { offeredRules?: string[]; ruleHashes?: Record<string, string> };
const ruleKeys = (c: OpsConfig) => c.groups.flatMap((g) => g.rules.map((r) => `${g.name}/${r.alert}`));

/**
 * Applies the built-in configuration on an installation's first start (the first start of any
 * node), and on later starts adds the built-in rules a newer Kefu brings (by group and name) that
 * this installation was never offered. The marker row records every rule offered, so a built-in
 * rule that is offered and absent was deleted by someone (the editor, `kefu ops apply --prune`,
 * `PUT /api/ops/config`) and stays deleted; a rule of that name someone made themselves is left as
 * it is. A built-in rule whose definition changed in this release is upgraded where nobody edited
 * it, and left alone (reported) where someone did (`upgradeDefaultRules`). One transaction holding
 * the marker row, so two nodes starting together do this once. Returns the rules added (all of them
 * the first time), upgraded and left edited, as `group/alert`.
 */
export async function ensureDefaults(s: Scope, defaults: OpsConfig): Promise<DefaultsResult> {
  const all = ruleKeys(defaults);
  const hashes = shippedHashes(defaults);
  return unitOfWork(s, async (tx) => {
    const now = tx.clock.now();
    const at = now.toISOString();
    const db = own(tx.db);
    const marker = await db
      .insertInto('monitoring_config')
      .values({
        kind: 'meta',
        name: 'defaults',
        definition: JSON.stringify({ offeredRules: all, ruleHashes: hashes } satisfies DefaultsMarker),
        position: 0,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['kind', 'name']).doNothing())
      .executeTakeFirst();
    if (Number(marker.numInsertedOrUpdatedRows ?? 0)) {
      await applyOpsConfig(tx, defaults);
      return { added: all, upgraded: [], edited: [] };
    }
    // Take the marker's row lock first (PostgreSQL; SQLite has one writer), then read what was offered.
    await db
      .updateTable('monitoring_config')
      .set({ updated_at: at })
      .where('kind', '=', 'meta')
      .where('name', '=', 'defaults')
      .execute();
    const row = await db
      .selectFrom('monitoring_config')
      .select('definition')
      .where('kind', '=', 'meta')
      .where('name', '=', 'defaults')
      .executeTakeFirstOrThrow();
    const was = JSON.parse(row.definition) as DefaultsMarker;
    const offered = new Set(was.offeredRules ?? firstReleaseRules);
    const { upgraded, edited } = await upgradeDefaultRules(tx.db, defaults, was.ruleHashes ?? {}, now);
    const added: string[] = [];
    for (const g of defaults.groups) {
      const fresh = g.rules.filter((r) => !offered.has(`${g.name}/${r.alert}`));
      if (!fresh.length) continue;
      const existing = await db
        .selectFrom('monitoring_config')
        .select(['definition', 'position'])
        .where('kind', '=', 'group')
        .where('name', '=', g.name)
        .executeTakeFirst();
      const current = existing ? (JSON.parse(existing.definition) as OpsConfig['groups'][number]) : null;
      const missing = fresh.filter((r) => !current?.rules.some((x) => x.alert === r.alert));
      if (!missing.length) continue;
      const position = existing?.position ?? (await configNames(tx.db, 'group')).length;
      const group = current ? { ...current, rules: [...current.rules, ...missing] } : { ...g, rules: missing };
      await saveConfigObject(tx.db, 'group', g.name, group, position, now);
      added.push(...missing.map((r) => `${g.name}/${r.alert}`));
    }
    await db
      .updateTable('monitoring_config')
      .set({
        definition: JSON.stringify({
          offeredRules: [...new Set([...offered, ...all])],
          ruleHashes: { ...was.ruleHashes, ...hashes },
        } satisfies DefaultsMarker),
      })
      .where('kind', '=', 'meta')
      .where('name', '=', 'defaults')
      .execute();
    if (upgraded.length) tx.log.info({ rules: upgraded }, 'built-in alert rules upgraded to this release');
    if (edited.length)
      tx.log.warn(
        { rules: edited },
        "built-in alert rules changed in this release but edited here: left as they are (compare with 'kefu ops export')",
      );
    return { added, upgraded, edited };
  });
}
