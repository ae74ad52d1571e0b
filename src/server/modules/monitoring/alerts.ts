/**
 * Alert rules with Prometheus's semantics, evaluated on the node holding the `ops` lease: each
 * element the expression returns is an alert (labels = its labels + the rule's + `alertname`),
 * pending until it has held for `for`, then firing; when it stops being returned it resolves (after
 * `keep_firing_for`), and a pending one that clears is dropped. States live in the database and
 * every transition is a compare-and-set in one transaction with the event it publishes, so a
 * restart or a second node neither forgets a pending alert nor fires one twice.
 *
 * Notification (the `alert.firing` / `alert.resolved` events the incidents module consumes) waits
 * while a silence, a maintenance window or an inhibition suppresses the alert, as Alertmanager does.
 */
import { createHash } from 'node:crypto';
import { parseDuration, RuleGroupInput } from '../../../shared/ops-api.ts';
import { unitOfWork, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { announce, severityOf, type AffectedCache } from './alert-announce.ts';
import { evaluate, windowsOf, type SeriesSource } from './promql/eval.ts';
import { parsePromql, type Expr } from './promql/parse.ts';
import {
  chunked,
  dropPendings,
  insertAlerts,
  keepFirings,
  markNotifiedMany,
  refreshAlerts,
  resolveAlerts,
  type AlertMove,
} from './alert-writes.ts';
import { own, type MonitoringAlertsTable } from './schema.ts';
import { resendSteps } from './resend.ts';
import { monitoringWriterOf } from './series-writer.ts';
import { plansReads } from './shared-reads.ts';
import { nextTurn, stepsInTurns } from '../../lib/turns.ts';
import { canonicalLabels, type Labels } from './store.ts';
import {
  configTexts,
  inhibitionSources,
  loadSuppressors,
  suppressorOf,
  type InhibitionSources,
  type Suppressors,
} from './suppression.ts';

export type Rule = {
  group: string;
  intervalMs: number;
  alert: string;
  exprText: string;
  expr: Expr;
  forMs: number;
  keepFiringForMs: number;
  labels: Labels;
  annotations: Record<string, string>;
};

export type AlertState = 'pending' | 'firing' | 'resolved';

/** What a rule's expression returns now: Kefu's own evaluator over a series source, or an outside store's query API. */
export type RuleQuery = (rule: Rule, now: number) => Promise<{ labels: Labels; v: number }[]>;

/** Evaluates rules in process over a series source (Kefu's tables, or recorded series in tests). */
export const localRuleQuery =
  (source: SeriesSource): RuleQuery =>
  async (rule, now) => {
    const result = await evaluate(rule.expr, now, source);
    return result.t === 'vector'
      ? result.v.map((x) => ({ labels: x.labels, v: x.v }))
      : result.t === 'scalar'
        ? [{ labels: {}, v: result.v }]
        : [];
  };

const parsedGroups = new Map<string, Rule[]>();
/**
 * A group's rules, validated and parsed once per distinct definition: the ops loop loads the rules
 * every second, and validating and parsing 200 rules each time was most of its steady cost.
 */
function rulesOfGroup(definition: string): Rule[] {
  let rules = parsedGroups.get(definition);
  if (!rules) {
    const g = RuleGroupInput.parse(JSON.parse(definition));
    rules = g.rules.map((r) => ({
      group: g.name,
      intervalMs: g.interval ? parseDuration(g.interval) : 15_000,
      alert: r.alert,
      exprText: r.expr,
      expr: parsePromql(r.expr),
      forMs: r.for ? parseDuration(r.for) : 0,
      keepFiringForMs: r.keep_firing_for ? parseDuration(r.keep_firing_for) : 0,
      labels: r.labels ?? {},
      annotations: r.annotations ?? {},
    }));
    if (parsedGroups.size >= 1000) parsedGroups.clear();
    parsedGroups.set(definition, rules);
  }
  return rules;
}

/** The rules of every configured group (a group whose expression no longer parses is skipped by the caller's validation). */
export async function loadRules(db: Executor): Promise<Rule[]> {
  return (await configTexts(db, 'group')).flatMap(rulesOfGroup);
}

export const fingerprintOf = (group: string, labels: Labels): string =>
  createHash('sha256')
    .update(`${group}\u0000${canonicalLabels(labels)}`)
    .digest('hex')
    .slice(0, 16);

const humanize = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  for (const [n, suffix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const)
    if (abs >= n) return `${+(v / n).toFixed(2)}${suffix}`;
  return `${+v.toFixed(4)}`;
};

/** Prometheus-style templating of annotations: {{ $labels.x }}, {{ $value }}, {{ $value | humanize }}, {{ humanize $value }}. */
export function renderTemplate(text: string, labels: Labels, value: number | null): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, inner: string) => {
    const label = /^(?:\$labels|\.Labels)\.([a-zA-Z_]\w*)$/.exec(inner);
    if (label) return labels[label[1]] ?? '';
    if (/^(?:\$value|\.Value)$/.test(inner)) return value === null ? '' : String(value);
    if (/^(?:\$value\s*\|\s*humanize|humanize\s+\$value)$/.test(inner)) return value === null ? '' : humanize(value);
    return whole;
  });
}

/**
 * One chunk of alert transitions (one multi-row statement of up to `chunkRows` alerts, and the
 * events it publishes) per transaction, with a turn of the loop between transactions (the chat
 * gateway's delay p99 must not move by 2 ms).
 */
const unitLimits = { max: 1 };

/** One evaluation of one rule at `now`: the transitions of its alerts. */
export async function evaluateRule(
  s: Services,
  rule: Rule,
  now: number,
  query: RuleQuery,
  suppressors: Suppressors,
  sources: InhibitionSources,
): Promise<{ active: number; error: string | null }> {
  const at = new Date(now).toISOString();
  let elements: { labels: Labels; v: number }[];
  try {
    elements = (await query(rule, now)).map((x) => {
      const { __name__: _, ...rest } = x.labels;
      return { labels: rest, v: x.v };
    });
  } catch (err) {
    return { active: 0, error: (err as Error).message };
  }
  const db = own(s.db);
  const current = await db
    .selectFrom('monitoring_alerts')
    .selectAll()
    .where('group_name', '=', rule.group)
    .where('rule', '=', rule.alert)
    .where('state', 'in', ['pending', 'firing'])
    .execute();
  const byFingerprint = new Map(current.map((r) => [r.fingerprint, r]));
  const seen = new Set<string>();
  // The transitions, by kind; written in chunks (writeTransitions).
  const inserts: MonitoringAlertsTable[] = [];
  const moves: AlertMove[] = [];
  const drops: string[] = [];
  const keeps: string[] = [];
  const resolves: MonitoringAlertsTable[] = [];

  for (const el of elements) {
    const labels: Labels = { ...el.labels, ...rule.labels, alertname: rule.alert };
    const fp = fingerprintOf(rule.group, labels);
    if (seen.has(fp)) continue;
    seen.add(fp);
    const annotations = Object.fromEntries(
      Object.entries(rule.annotations).map(([k, v]) => [k, renderTemplate(v, labels, el.v)]),
    );
    const existing = byFingerprint.get(fp);
    const value = Number.isFinite(el.v) ? el.v : null;
    const annotationsText = JSON.stringify(annotations);
    if (existing) {
      const becomesFiring = existing.state === 'pending' && now - Date.parse(existing.active_at) >= rule.forMs;
      // Unchanged since the last cycle (state, value, annotations, not kept firing): nothing to write.
      if (
        !becomesFiring &&
        existing.keep_since === null &&
        existing.value === value &&
        existing.annotations === annotationsText
      )
        continue;
      // Compare-and-set on the state read: of two evaluators, one moves it. Notifying is the
      // evaluator's next pass (`notifyPass`), once every rule has run, so inhibition sees this tick's sources.
      moves.push({
        id: existing.id,
        state: existing.state,
        nextState: becomesFiring ? 'firing' : existing.state,
        firedAt: becomesFiring ? at : existing.fired_at,
        value,
        annotations: annotationsText,
      });
      continue;
    }
    // A new alert: pending, or firing at once without `for`. Unique among active alerts: another
    // evaluator that inserted first wins and this one skips.
    const firing = rule.forMs <= 0;
    const row: MonitoringAlertsTable = {
      id: newId('alt', now),
      fingerprint: fp,
      group_name: rule.group,
      rule: rule.alert,
      state: firing ? 'firing' : 'pending',
      severity: severityOf(labels),
      component: labels.component ?? null,
      labels: JSON.stringify(labels),
      annotations: annotationsText,
      value,
      active_at: at,
      fired_at: firing ? at : null,
      resolved_at: null,
      keep_since: null,
      notified: 0,
      notified_at: null,
      notify_count: 0,
      suppressed_by: suppressorOf(labels, now, suppressors, sources),
      last_eval_at: at,
    };
    inserts.push(row);
  }

  // Alerts no longer returned: a pending one is dropped; a firing one resolves after keep_firing_for.
  for (const row of current) {
    if (seen.has(row.fingerprint)) continue;
    if (row.state === 'pending') {
      drops.push(row.id);
      continue;
    }
    const keepSince = row.keep_since ?? at;
    if (now - Date.parse(keepSince) < rule.keepFiringForMs || (rule.keepFiringForMs > 0 && !row.keep_since)) {
      // Kept firing since an earlier cycle: already written.
      if (row.keep_since) continue;
      keeps.push(row.id);
      continue;
    }
    resolves.push(row);
  }
  // Each kind's alerts in chunks, each chunk one statement (its compare-and-sets, and the events
  // of the alerts it resolved, commit together) in a transaction of its own (`unitLimits`) with
  // a turn of the event loop between transactions: a storm of thousands never holds it long, and
  // a crash between transactions loses none of the chunks already committed.
  // On SQLite the transitions that publish no event are written by the monitoring writer's thread
  // (series-writer.ts; the same statements, compare-and-sets included), before the resolves.
  const writer = monitoringWriterOf(s);
  if (writer && inserts.length + moves.length + drops.length + keeps.length)
    await writer.alerts({ inserts, moves, drops, keeps, at });
  const steps: ((tx: Services) => Promise<void>)[] = [
    ...(writer
      ? []
      : [
          ...chunked(inserts).map((c) => (tx: Services) => insertAlerts(tx.db, c)),
          ...chunked(moves).map((c) => (tx: Services) => refreshAlerts(tx.db, c, at)),
          ...chunked(drops).map((c) => (tx: Services) => dropPendings(tx.db, c)),
          // Kept from this cycle on (an alert kept since an earlier one was skipped above).
          ...chunked(keeps).map((c) => (tx: Services) => keepFirings(tx.db, c, at, at)),
        ]),
    ...chunked(resolves).map((c) => async (tx: Services) => {
      const resolved = await resolveAlerts(
        tx.db,
        c.map((r) => r.id),
        at,
      );
      for (const row of c)
        if (resolved.has(row.id) && row.notified)
          await announce(tx, { ...row, state: 'resolved', resolved_at: at }, 'alert.resolved');
    }),
  ];
  await stepsInTurns(steps, (body) => unitOfWork(s, body), unitLimits);
  return { active: seen.size, error: null };
}

/** Evaluates the groups that are due (each at its own interval); returns the per-rule errors. */
export class RuleEvaluator {
  private readonly lastEval = new Map<string, number>();
  readonly errors = new Map<string, string>();
  private readonly s: Services;
  private readonly source: SeriesSource | RuleQuery;
  /** `source`: a series source evaluated in process, or a `RuleQuery` (an outside store's query API). */
  constructor(s: Services, source: SeriesSource | RuleQuery) {
    this.s = s;
    this.source = source;
  }

  /** How this cycle's rules are queried: over a store source, each metric read once for all of them. */
  private queryFor(rules: readonly Rule[], now: number): RuleQuery {
    const src = this.source;
    if (typeof src === 'function') return src;
    return localRuleQuery(plansReads(src) ? src.forCycle(rules.flatMap((r) => windowsOf(r.expr, now))) : src);
  }

  async tick(now: number): Promise<number> {
    let rules: Rule[];
    try {
      rules = await loadRules(this.s.db);
    } catch (err) {
      this.s.log.warn({ err }, 'alert rules could not be loaded');
      return 0;
    }
    const due = rules.filter((r) => now - (this.lastEval.get(r.group) ?? -Infinity) >= r.intervalMs);
    if (!due.length) return 0;
    const suppressors = await loadSuppressors(this.s.db);
    const sources = inhibitionSources(suppressors.inhibitRules, await this.firingLabels());
    for (const g of new Set(due.map((r) => r.group))) this.lastEval.set(g, now);
    const query = this.queryFor(due, now);
    for (const rule of due) {
      // On SQLite every read and write blocks the loop: a turn between rules keeps a cycle of
      // hundreds of rules from holding it (a chat gateway shares it).
      await nextTurn();
      const started = performance.now();
      const { error } = await evaluateRule(this.s, rule, now, query, suppressors, sources);
      const key = `${rule.group}/${rule.alert}`;
      // The weekly report's slowest rule evaluations (expression and alert transitions).
      this.s.opsRecorder?.record('rule', key, performance.now() - started);
      if (error) this.errors.set(key, error);
      else this.errors.delete(key);
    }
    await this.notifyPass(now, suppressors);
    return due.length;
  }

  private async firingLabels(): Promise<Labels[]> {
    const rows = await own(this.s.db)
      .selectFrom('monitoring_alerts')
      .select('labels')
      .where('state', '=', 'firing')
      .execute();
    return rows.map((r) => JSON.parse(r.labels) as Labels);
  }

  /**
   * Announces firing alerts not yet announced unless a silence, a maintenance window or a firing
   * source alert (this tick's) suppresses them; records what suppresses each. In chunks of one
   * statement per suppressor (`chunkRows` alerts), one to a transaction (`unitLimits`) with a
   * turn between: a storm of thousands never holds the loop (each chunk's compare-and-sets and its
   * events still commit together).
   */
  private async notifyPass(now: number, suppressors: Suppressors): Promise<void> {
    const sources = inhibitionSources(suppressors.inhibitRules, await this.firingLabels());
    const waiting = await own(this.s.db)
      .selectFrom('monitoring_alerts')
      .selectAll()
      .where('state', '=', 'firing')
      .where('notified', '=', 0)
      .execute();
    const at = new Date(now).toISOString();
    const cache: AffectedCache = new Map();
    // The alerts to mark, by what suppresses them ('' for nothing: they are announced).
    const bySuppressor = new Map<string, MonitoringAlertsTable[]>();
    for (const row of waiting) {
      const by = suppressorOf(JSON.parse(row.labels) as Labels, now, suppressors, sources);
      // Still suppressed by the same, as recorded: nothing to write.
      if (by && row.suppressed_by === by && row.notified_at === null) continue;
      const same = bySuppressor.get(by ?? '');
      if (same) same.push(row);
      else bySuppressor.set(by ?? '', [row]);
    }
    const steps: ((tx: Services) => Promise<void>)[] = [];
    for (const [by, rows] of bySuppressor)
      for (const c of chunked(rows))
        steps.push(async (tx) => {
          const marked = await markNotifiedMany(
            tx.db,
            c.map((r) => r.id),
            by || null,
            at,
          );
          if (!by) for (const row of c) if (marked.has(row.id)) await announce(tx, row, 'alert.firing', 0, cache);
        });
    // Re-notifications of firing alerts whose probe sets `resendEvery` (resend.ts).
    const suppressed = (labels: Labels) => suppressorOf(labels, now, suppressors, sources) !== null;
    steps.push(...(await resendSteps(this.s, now, suppressed, announce)));
    await stepsInTurns(steps, (body) => unitOfWork(this.s, body), unitLimits);
  }
}
