/**
 * What holds an alert's notification back, as Alertmanager does: silences (matchers, an end, an
 * author and a reason), maintenance windows (one-off or recurring on weekdays in a time zone), and
 * inhibition (a firing source alert suppresses matching targets).
 */
import {
  InhibitRuleInput,
  MaintenanceInput,
  parseDuration,
  SilenceInput,
  type LabelMatcher,
} from '../../../shared/ops-api.ts';
import type { Executor } from '../../db/index.ts';
import { localDayOf, localToInstant } from '../../lib/time/index.ts';
import { own } from './schema.ts';
import type { Labels } from './store.ts';

/** The stored definitions (JSON text) of one kind of ops configuration, in order. */
export async function configTexts(db: Executor, kind: string): Promise<string[]> {
  const rows = await own(db)
    .selectFrom('monitoring_config')
    .select('definition')
    .where('kind', '=', kind)
    .orderBy('position')
    .orderBy('name')
    .execute();
  return rows.map((r) => r.definition);
}

export async function configOf<T>(db: Executor, kind: string, parse: (v: unknown) => T): Promise<T[]> {
  return (await configTexts(db, kind)).map((text) => parse(JSON.parse(text)));
}

const regexes = new Map<string, RegExp>();
/** A matcher's anchored expression, compiled once (a rule cycle matches thousands of label sets). */
function regexOf(value: string): RegExp {
  let re = regexes.get(value);
  if (!re) {
    if (regexes.size >= 1000) regexes.clear();
    re = new RegExp(`^(?:${value})$`);
    regexes.set(value, re);
  }
  return re;
}

function matcherHits(labels: Labels, m: LabelMatcher): boolean {
  const v = labels[m.name] ?? '';
  const hit = m.isRegex ? regexOf(m.value).test(v) : v === m.value;
  return m.isEqual ? hit : !hit;
}
export const allMatch = (labels: Labels, ms: readonly LabelMatcher[]) => ms.every((m) => matcherHits(labels, m));

/** Whether a maintenance window is open at `now` (one-off, or recurring on weekdays in its time zone). */
export function maintenanceOpen(w: MaintenanceInput, now: number): boolean {
  if (w.startsAt && w.endsAt && Date.parse(w.startsAt) <= now && now < Date.parse(w.endsAt)) return true;
  const r = w.recurring;
  if (!r) return false;
  const [h, m] = r.start.split(':').map(Number);
  const length = parseDuration(r.duration);
  const today = localDayOf(r.timezone, now);
  // A window that began on one of the last 7 local days may still be open.
  for (let d = today; d >= today - 7; d--) {
    const weekday = (((d + 4) % 7) + 7) % 7 || 7; // day 0 (1970-01-01) was a Thursday; 1 = Monday … 7 = Sunday
    if (!r.weekdays.includes(weekday)) continue;
    const start = localToInstant(r.timezone, d, h * 60 + m);
    if (start <= now && now < start + length) return true;
  }
  return false;
}

export type Suppressors = {
  silences: SilenceInput[];
  maintenance: MaintenanceInput[];
  inhibitRules: InhibitRuleInput[];
};

export async function loadSuppressors(db: Executor): Promise<Suppressors> {
  return {
    silences: await configOf(db, 'silence', (v) => SilenceInput.parse(v)),
    maintenance: await configOf(db, 'maintenance', (v) => MaintenanceInput.parse(v)),
    inhibitRules: await configOf(db, 'inhibit', (v) => InhibitRuleInput.parse(v)),
  };
}

/**
 * The firing alerts that can inhibit, indexed once per pass: per inhibit rule, the values of its
 * `equal` labels among firing alerts that match its source matchers and not its target matchers.
 * (A target matches the target matchers, so it is never its own source.) Looking a target up is
 * then one key per rule instead of a walk over every firing alert.
 */
export type InhibitionSources = ReadonlyMap<string, ReadonlySet<string>>;

const equalKey = (labels: Labels, equal: readonly string[]) => JSON.stringify(equal.map((k) => labels[k] ?? ''));

export function inhibitionSources(rules: readonly InhibitRuleInput[], firing: readonly Labels[]): InhibitionSources {
  const index = new Map<string, Set<string>>();
  for (const r of rules) {
    const keys = new Set<string>();
    for (const f of firing)
      if (allMatch(f, r.source_matchers) && !allMatch(f, r.target_matchers)) keys.add(equalKey(f, r.equal));
    index.set(r.name, keys);
  }
  return index;
}

/** What suppresses an alert now, if anything: a silence, a maintenance window, or a firing source alert. */
export function suppressorOf(labels: Labels, now: number, s: Suppressors, sources: InhibitionSources): string | null {
  for (const x of s.silences)
    if ((!x.startsAt || Date.parse(x.startsAt) <= now) && now < Date.parse(x.endsAt) && allMatch(labels, x.matchers))
      return `silence:${x.name}`;
  for (const w of s.maintenance)
    if (maintenanceOpen(w, now) && allMatch(labels, w.matchers)) return `maintenance:${w.name}`;
  for (const r of s.inhibitRules) {
    if (!allMatch(labels, r.target_matchers)) continue;
    if (sources.get(r.name)?.has(equalKey(labels, r.equal))) return `inhibit:${r.name}`;
  }
  return null;
}
