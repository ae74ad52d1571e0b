/**
 * Upgrading the built-in rules on both engines: a built-in rule that nobody edited takes the new
 * release's definition on the next start (recorded hash, or an earlier release's hash for markers
 * that predate them); one someone edited is left as it is and reported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { engines, testApp, type TestApp } from '../../testing/harness.ts';
import { saveConfigObject } from './config-store.ts';
import { defaultOpsConfig } from './defaults.ts';
import { ensureDefaults } from './ops-config.ts';
import { own } from './schema.ts';

const current = () => OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:3000'));
type Group = OpsConfig['groups'][number];
type Rule = Group['rules'][number];

/** The defaults with some rules changed, as an earlier release shipped them. */
function withRules(change: Record<string, (r: Rule) => Rule>): OpsConfig {
  const c = current();
  return {
    ...c,
    groups: c.groups.map((g) => ({ ...g, rules: g.rules.map((r) => (change[r.alert] ? change[r.alert]!(r) : r)) })),
  };
}

// TicketsNotFlowing as the releases before per-workspace evaluation shipped it.
const installationWide: Rule = {
  alert: 'TicketsNotFlowing',
  expr: '(sum(kefu_tickets_backlog{status=~"new|open"}) > 0 unless on() sum(increase(kefu_ticket_transitions_total[30m])) > 0) and on() max(kefu_sla_calendar_open) == 1',
  for: '30m',
  labels: { severity: 'P2', component: 'tickets' },
  annotations: {
    summary: 'tickets wait but none changed status for 30 min in working hours',
    summary_zh: '工作时间内工单积压但 30 分钟无状态变化',
    description: 'backlog {{ $value }}',
  },
};

describe.each(engines)('upgrading the built-in rules on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const groupOf = async (name: string) =>
    JSON.parse(
      (
        await own(t.s.db)
          .selectFrom('monitoring_config')
          .select('definition')
          .where('kind', '=', 'group')
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).definition,
    ) as Group;
  const ruleIn = async (group: string, alert: string) => (await groupOf(group)).rules.find((r) => r.alert === alert)!;

  it('upgrades the rules nobody edited and leaves (and reports) the edited ones', async () => {
    t = await testApp(engine);
    const older = withRules({
      TicketsNotFlowing: () => installationWide,
      BackupFailed: (r) => ({ ...r, expr: 'max by (target, kind) (kefu_backup_run_failed{kind="backup"}) > 0' }),
      BotOffline: (r) => ({ ...r, for: '10m' }),
    });
    expect((await ensureDefaults(t.s, older)).added.length).toBeGreaterThan(10);
    // Someone edits BackupFailed (the runbook's team wants P2) and leaves the others alone.
    const backups = await groupOf('backups');
    const edited = backups.rules.map((r) =>
      r.alert === 'BackupFailed' ? { ...r, labels: { ...r.labels, severity: 'P2' } } : r,
    );
    await saveConfigObject(t.s.db, 'group', 'backups', { ...backups, rules: edited }, 3, new Date());

    const r = await ensureDefaults(t.s, current());
    expect(r.added).toEqual([]);
    expect(r.upgraded.sort()).toEqual(['contract-p2/BotOffline', 'contract-p2/TicketsNotFlowing']);
    expect(r.edited).toEqual(['backups/BackupFailed']);
    const shipped = (alert: string) =>
      current()
        .groups.flatMap((g) => g.rules)
        .find((x) => x.alert === alert)!;
    expect(await ruleIn('contract-p2', 'TicketsNotFlowing')).toEqual(shipped('TicketsNotFlowing'));
    expect((await ruleIn('contract-p2', 'TicketsNotFlowing')).expr).toContain('by (workspace)');
    expect(await ruleIn('contract-p2', 'BotOffline')).toEqual(shipped('BotOffline'));
    const kept = await ruleIn('backups', 'BackupFailed');
    expect(kept.labels?.severity).toBe('P2');
    expect(kept.expr).toContain('kind="backup"');
    // The next start changes nothing and still names the edited rule.
    expect(await ensureDefaults(t.s, current())).toEqual({ added: [], upgraded: [], edited: ['backups/BackupFailed'] });
  });

  it("upgrades an earlier release's rule where the marker predates the recorded hashes", async () => {
    t = await testApp(engine);
    await ensureDefaults(t.s, withRules({ TicketsNotFlowing: () => installationWide }));
    const marker = own(t.s.db)
      .updateTable('monitoring_config')
      .where('kind', '=', 'meta')
      .where('name', '=', 'defaults');
    const offered = current().groups.flatMap((g) => g.rules.map((r) => `${g.name}/${r.alert}`));
    await marker.set({ definition: JSON.stringify({ offeredRules: offered }) }).execute();
    // And one that an earlier release shipped, then edited here: kept.
    const p2 = await groupOf('contract-p2');
    const rules = p2.rules.map((r) => (r.alert === 'CoreChannelDown' ? { ...r, for: '5m' } : r));
    await saveConfigObject(t.s.db, 'group', 'contract-p2', { ...p2, rules }, 1, new Date());

    const r = await ensureDefaults(t.s, current());
    expect(r.upgraded).toEqual(['contract-p2/TicketsNotFlowing']);
    expect(r.edited).toEqual(['contract-p2/CoreChannelDown']);
    expect((await ruleIn('contract-p2', 'TicketsNotFlowing')).expr).toContain('by (workspace)');
    expect((await ruleIn('contract-p2', 'CoreChannelDown')).for).toBe('5m');
  });
});
