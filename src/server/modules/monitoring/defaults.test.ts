/**
 * Every series a built-in rule reads is one Kefu produces: a rule over a name nothing writes can
 * never fire (BotOffline once read a probe no default configuration had; ReportLate a gauge nothing
 * registered). Names come from the registry of a server with every module, as the sampler stores
 * them (histograms as _count, _sum and interval quantiles), and from the probe runner's series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsConfig } from '../../../shared/ops-api.ts';
import { testApp, type TestApp } from '../../testing/harness.ts';
import { messageWriter } from '../conversations/index.ts';
import { defaultOpsConfig } from './defaults.ts';
import { probeSamples } from './runner.ts';

describe('the built-in alert rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('read only series that Kefu produces', async () => {
    messageWriter(t.s); // the chat writer registers its metrics when a node first writes a message
    const produced = new Set<string>();
    for (const m of await t.s.metrics.getMetricsAsJSON()) {
      produced.add(m.name);
      if (String(m.type) === 'histogram')
        for (const suffix of ['_count', '_sum', '_p50', '_p90', '_p95', '_p99']) produced.add(`${m.name}${suffix}`);
    }
    const probe = probeSamples(
      { name: 'p', component: 'web_chat' },
      { ok: true, durationMs: 1, statusCode: 200, certExpiresAt: Date.now() } as never,
      'up',
    );
    for (const s of probe) produced.add(s.name);

    const rules = OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:3000')).groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(10);
    const missing = rules.flatMap((r) =>
      [...r.expr.matchAll(/\b((?:kefu|probe)_[a-z0-9_]+)/g)]
        .map((m) => m[1])
        .filter((name) => !produced.has(name))
        .map((name) => `${r.alert}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
  it("summarise each alert in English and in Chinese, each in one language (the console shows the reader's)", () => {
    const rules = OpsConfig.parse(defaultOpsConfig('http://127.0.0.1:3000')).groups.flatMap((g) => g.rules);
    const han = /[\u4e00-\u9fff]/;
    for (const r of rules) {
      const a = r.annotations ?? {};
      expect(a.summary, r.alert).toBeTruthy();
      expect(a.summary_zh, r.alert).toMatch(han);
      for (const key of ['summary', 'description'] as const) expect(a[key] ?? '', r.alert).not.toMatch(han);
    }
  });
});
