/**
 * Every monitoring, status and ops route declares its response schema, so the OpenAPI document
 * says what each answers (issue #11: "OpenAPI-documented like the rest"). The walk goes over the
 * route table as the modules register it (hidden routes included) and fails naming each route of
 * the checked prefixes that has no 2xx response schema. The incidents module's routes under these
 * prefixes (incidents, on-call, notifiers, the contract, /status/:slug) are left to the incidents
 * walk (`elsewhere`): add the module here when that walk is merged into this one.
 */
import Fastify, { type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modules } from '../modules/registry.ts';
import { testApp, type TestApp } from '../testing/harness.ts';

/** The prefixes this walk checks. */
const prefixes = ['/api/monitoring', '/api/ops', '/api/status', '/status'];
/** Modules whose routes under those prefixes another walk covers. */
const elsewhere = new Set(['incidents']);

type Route = { method: string; url: string; module: string; schema: RouteOptions['schema'] };

describe('response schemas of the monitoring, status and ops routes', () => {
  let t: TestApp;
  const routes: Route[] = [];
  beforeAll(async () => {
    t = await testApp('sqlite');
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    let module = '';
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat())
        if (method !== 'HEAD') routes.push({ method, url: r.url, module, schema: r.schema });
    });
    for (const m of modules) {
      module = m.name;
      m.routes?.(app, t.s);
    }
  });
  afterAll(async () => t?.close());

  const checked = () => routes.filter((r) => prefixes.some((p) => r.url.startsWith(p)) && !elsewhere.has(r.module));

  it('walks the routes of the monitoring module and the rest under the prefixes', () => {
    const urls = checked().map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining(['GET /api/ops/alerts', 'PUT /api/ops/config', 'GET /api/ops/push/:token']),
    );
    expect(new Set(checked().map((r) => r.module))).toContain('monitoring');
  });

  it('finds a 2xx response schema on every one of them', () => {
    const lacking = checked()
      .filter((r) => {
        const response = (r.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
        return !Object.keys(response).some((code) => /^2(\d\d|XX)$/.test(code));
      })
      .map((r) => `${r.method} ${r.url} (${r.module})`);
    expect(lacking).toEqual([]);
  });

  it('shows them in the OpenAPI document with their responses', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    for (const r of checked()) {
      const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
      const op = spec.paths[path]?.[r.method.toLowerCase()];
      if (!op) continue; // hidden from the document (the schema still serialises the answer)
      expect(
        Object.keys(op.responses ?? {}).some((c) => c.startsWith('2')),
        `${r.method} ${r.url}`,
      ).toBe(true);
    }
  });
});
