/**
 * Upgrading the built-in rules (defaults.ts) of an installation that never edited them. Each start
 * (`ensureDefaults`) compares every built-in rule the installation holds with what Kefu shipped: a
 * rule whose definition is still one Kefu shipped (the hash recorded in the defaults marker when it
 * was offered, or one of the earlier releases' hashes below) takes the new definition; a rule
 * someone edited is left as it is and reported (the start-up log, `kefu doctor`-style).
 */
import { createHash } from 'node:crypto';
import type { OpsConfig } from '../../../shared/ops-api.ts';
import type { Executor } from '../../db/index.ts';
import { saveConfigObject } from './config-store.ts';
import { own } from './schema.ts';

type Group = OpsConfig['groups'][number];
type RuleDef = Group['rules'][number];

/** Keys sorted, undefined and empty objects left out: the same rule hashes the same however stored. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(
        ([, x]) => x !== undefined && !(x && typeof x === 'object' && !Array.isArray(x) && !Object.keys(x).length),
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => [k, canonical(x)]);
    return Object.fromEntries(entries);
  }
  return v;
}

/** The hash of a rule's definition (what `for`, labels, annotations and expression it has). */
export const ruleHash = (r: RuleDef): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(r)))
    .digest('hex')
    .slice(0, 16);

/**
 * Hashes of built-in rule definitions earlier releases shipped (by `group/alert`), for installations
 * whose defaults marker predates the recorded hashes. Computed from the git history of defaults.ts.
 */
export const shippedBefore: Record<string, readonly string[]> = {
  'contract-p1/ChatEntryPointsDown': ['a4cd5bbfd1ff3a51'],
  'contract-p1/DatabaseUnreachable': ['0b478f05dceb8886'],
  'contract-p1/DataLossDetected': ['db802cde7df478ad'],
  'contract-p2/TicketsNotFlowing': ['acd311f307e8998a', 'c5647fa266a5682f', '629a673fcd0b4e06', '8791a2e634597a7c'],
  'contract-p2/CoreChannelDown': ['9e3a6078602b1c34'],
  'contract-p2/BotOffline': ['a8c1a22b2f341e4f', '28d75096aaa4ea81'],
  'contract-p2/AgentRoundTripSlow': ['1b08d584b07c8a22'],
  'contract-p3/ConsoleErrorRate': ['61fad9caed4e3f30'],
  'contract-p3/ReportLate': ['3af58e19685de225'],
  'backups/BackupFailed': ['da57dee0ae38128c', '915c2118e7572c48', 'dcb8d272925377f8'],
  'backups/BackupNotVerified': ['44dd8c5ca9d8c6d5'],
  'capacity/DiskFullWithin24h': ['17a0122c01aa9db3'],
  'capacity/MemoryLow': ['ef43c0c06e37e383'],
  'capacity/ReportOverdue': ['3c38a86849bd6e75', '2833727f3d20d322'],
  'capacity/EventLoopDelayHigh': ['9bea0a7dc91179d6'],
  'capacity/TlsCertificateExpiring': ['6e320731703bb065'],
};

export type DefaultsResult = {
  /** Built-in rules added (new in this release, or the first start: all). */
  added: string[];
  /** Built-in rules that still had a shipped definition and now have this release's. */
  upgraded: string[];
  /** Built-in rules whose definition changed in this release but that someone edited: left alone. */
  edited: string[];
};

/**
 * Moves every unedited built-in rule to this release's definition; returns what it upgraded and
 * which changed built-in rules it left alone because they were edited, and the hashes to record.
 */
export async function upgradeDefaultRules(
  db: Executor,
  defaults: OpsConfig,
  recorded: Record<string, string>,
  now: Date,
): Promise<{ upgraded: string[]; edited: string[] }> {
  const upgraded: string[] = [];
  const edited: string[] = [];
  for (const g of defaults.groups) {
    const row = await own(db)
      .selectFrom('monitoring_config')
      .select(['definition', 'position'])
      .where('kind', '=', 'group')
      .where('name', '=', g.name)
      .executeTakeFirst();
    if (!row) continue;
    const current = JSON.parse(row.definition) as Group;
    let changed = false;
    const rules = current.rules.map((r) => {
      const shipped = g.rules.find((x) => x.alert === r.alert);
      if (!shipped) return r;
      const key = `${g.name}/${r.alert}`;
      const have = ruleHash(r);
      const next = ruleHash(shipped);
      if (have === next) return r;
      if (have === recorded[key] || shippedBefore[key]?.includes(have)) {
        upgraded.push(key);
        changed = true;
        return shipped;
      }
      edited.push(key);
      return r;
    });
    if (changed) await saveConfigObject(db, 'group', g.name, { ...current, rules }, row.position, now);
  }
  return { upgraded, edited };
}

/** The hash of every built-in rule of this release, recorded in the marker as offered. */
export const shippedHashes = (defaults: OpsConfig): Record<string, string> =>
  Object.fromEntries(defaults.groups.flatMap((g) => g.rules.map((r) => [`${g.name}/${r.alert}`, ruleHash(r)])));
