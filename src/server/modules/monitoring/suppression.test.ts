/** Inhibition as Alertmanager defines it: source matchers, target matchers and `equal` labels. */
import { describe, expect, it } from 'vitest';
import { InhibitRuleInput, type LabelMatcher } from '../../../shared/ops-api.ts';
import { inhibitionSources, suppressorOf, type Suppressors } from './suppression.ts';

const eq = (name: string, value: string, isRegex = false): LabelMatcher => ({ name, value, isRegex, isEqual: true });
const rule = InhibitRuleInput.parse({
  name: 'node-down',
  source_matchers: [eq('alertname', 'NodeDown')],
  target_matchers: [eq('severity', 'P2|P3', true)],
  equal: ['node'],
});
const none: Suppressors = { silences: [], maintenance: [], inhibitRules: [rule] };
const now = Date.parse('2026-12-06T08:00:00Z');

describe('inhibition', () => {
  it('suppresses a target only where a source shares its equal labels', () => {
    const firing = [
      { alertname: 'NodeDown', node: 'a', severity: 'P1' },
      { alertname: 'ApiSlow', node: 'b', severity: 'P2' },
    ];
    const sources = inhibitionSources(none.inhibitRules, firing);
    expect(suppressorOf({ alertname: 'ApiSlow', node: 'a', severity: 'P2' }, now, none, sources)).toBe(
      'inhibit:node-down',
    );
    expect(suppressorOf({ alertname: 'ApiSlow', node: 'b', severity: 'P2' }, now, none, sources)).toBeNull();
    // A P1 is not a target of this rule.
    expect(suppressorOf({ alertname: 'DiskFull', node: 'a', severity: 'P1' }, now, none, sources)).toBeNull();
  });

  it('never counts an alert that matches the target matchers as a source (not even for itself)', () => {
    const self = { alertname: 'NodeDown', node: 'a', severity: 'P2' };
    const sources = inhibitionSources(none.inhibitRules, [self]);
    expect(suppressorOf(self, now, none, sources)).toBeNull();
    expect(suppressorOf({ alertname: 'ApiSlow', node: 'a', severity: 'P3' }, now, none, sources)).toBeNull();
  });

  it('finds the one inhibited target among 20,000 firing alerts', () => {
    const firing = Array.from({ length: 20_000 }, (_, i) => ({ alertname: 'ApiSlow', node: `n${i}`, severity: 'P3' }));
    firing.push({ alertname: 'NodeDown', node: 'n7', severity: 'P1' });
    const sources = inhibitionSources(none.inhibitRules, firing);
    const held = firing.filter((l) => suppressorOf(l, now, none, sources)).map((l) => l.node);
    expect(held).toEqual(['n7']);
  });

  it('puts a silence before a maintenance window before an inhibition', () => {
    const s: Suppressors = {
      silences: [
        {
          name: 'quiet',
          matchers: [eq('node', 'a')],
          endsAt: '2026-12-06T09:00:00Z',
          createdBy: 'ops@example.com',
          comment: 'test',
        } as Suppressors['silences'][number],
      ],
      maintenance: [],
      inhibitRules: [rule],
    };
    const sources = inhibitionSources(s.inhibitRules, [{ alertname: 'NodeDown', node: 'a', severity: 'P1' }]);
    expect(suppressorOf({ alertname: 'ApiSlow', node: 'a', severity: 'P2' }, now, s, sources)).toBe('silence:quiet');
    expect(suppressorOf({ alertname: 'ApiSlow', node: 'a', severity: 'P2' }, now + 2 * 3_600_000, s, sources)).toBe(
      'inhibit:node-down',
    );
  });
});
