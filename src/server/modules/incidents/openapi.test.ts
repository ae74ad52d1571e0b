/**
 * Every incidents, on-call, contract, penalty and statement route declares its response schema:
 * the walk reads the OpenAPI document the server publishes and fails on an operation of those
 * tags without a documented 2xx body. It also checks the list's fields (issue #12) and that a
 * declared schema does not drop what the console reads (the detail's clocks and timeline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../testing/harness.ts';

type Operation = {
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
};

describe('incidents in OpenAPI', () => {
  let t: TestApp;
  let spec: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await testApp('sqlite');
    spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  });
  afterAll(async () => t?.close());

  const operations = () =>
    Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.some((tag) => tag === 'incidents' || tag === 'on-call'))
        .map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, op })),
    );

  it('declares a response schema on every incidents and on-call route', () => {
    const ops = operations();
    // Incidents, report, declare options, notifiers, review, overview, contract, penalties, ack, on-call, escalation.
    expect(ops.length).toBeGreaterThanOrEqual(28);
    for (const p of ['/api/ops/contract', '/api/ops/penalties/{month}', '/api/ops/oncall', '/api/ops/ack/{token}'])
      expect(ops.map((o) => o.label.split(' ')[1])).toContain(p);
    const missing = ops
      .filter(({ op }) => {
        const ok = Object.entries(op.responses ?? {}).filter(([code]) => /^2\d\d$/.test(code));
        return !ok.some(([, r]) =>
          Object.values(r.content ?? {}).some((c) => c.schema && Object.keys(c.schema).length),
        );
      })
      .map((o) => o.label);
    expect(missing).toEqual([]);
  });

  it("documents the list's fields and keeps the detail's clocks and timeline", async () => {
    const list = spec.paths['/api/ops/incidents'].get.responses!['200'].content!['application/json'].schema!;
    const item = (list as { properties: { items: { items: { properties: object; required: string[] } } } }).properties
      .items.items;
    const fields = ['id', 'number', 'severity', 'state', 'title', 'source', 'mode', 'declaredAt', 'respondBy'];
    fields.push('resolveBy', 'acknowledgedAt', 'resolvedAt', 'workspaceIds');
    expect(Object.keys(item.properties).sort()).toEqual([...fields].sort());
    expect([...item.required].sort()).toEqual([...fields].sort());

    const { owner } = await t.workspace('vendor');
    const inc = await owner.post('/api/ops/incidents', { title: '支付回调失败', severity: 'P2' });
    expect(inc.statusCode, inc.body).toBe(201);
    const detail = (await owner.get(`/api/ops/incidents/${inc.json().id}`)).json();
    expect(detail.clocks[0]).toMatchObject({ respond: { minutes: 30 }, table: { P1: { respond: 15, resolve: 120 } } });
    expect(detail.timeline.map((e: { type: string }) => e.type)).toContain('declared');
    expect(detail.now).toEqual(expect.any(String));
    const items = (await owner.get('/api/ops/incidents')).json().items;
    expect(items[0]).toMatchObject({
      id: inc.json().id,
      severity: 'P2',
      state: 'triggered',
      workspaceIds: [expect.any(String)],
    });
  });
});
