/** The HTTP edge: errors, bad input, health, metrics, OpenAPI and the console's caching. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kysely } from 'kysely';
import { buildApp } from '../app.ts';
import type { NoTables } from '../db/index.ts';
import { nodeSqliteDialect, openSqlite } from '../db/sqlite-driver.ts';
import { engines, testApp, type TestApp } from '../testing/harness.ts';

describe.each(engines)('HTTP edge on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('answers bad input with a 4xx and a reason, and changes nothing', async () => {
    t = await testApp(engine, { config: { bodyLimit: 2048 } });
    const { owner } = await t.workspace('acme');
    const patch = (payload: string) =>
      owner.request({
        method: 'PATCH',
        url: '/api/workspace',
        payload,
        headers: { 'content-type': 'application/json' },
      });
    const malformed = await patch('{"name": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'invalid_json' });
    const big = await patch(JSON.stringify({ name: 'x'.repeat(5000) }));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body_too_large');
    const unknown = await patch(JSON.stringify({ name: 'ok', isAdmin: true }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('invalid_input');
    expect(JSON.stringify(unknown.json().error.issues)).toContain('isAdmin');
    const wrongType = await patch(JSON.stringify({ name: 42 }));
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toMatch(/name/);
    const badZone = await patch(JSON.stringify({ timezone: 'Mars/Olympus' }));
    expect(badZone.statusCode).toBe(400);
    expect((await owner.get('/api/workspace')).json()).toMatchObject({
      name: 'Workspace acme',
      timezone: 'Asia/Shanghai',
    });
    const badQuery = await owner.get('/api/audit?limit=100000');
    expect(badQuery.statusCode).toBe(400);
  });

  it('answers unknown routes with a JSON 404 and echoes the request id', async () => {
    t = await testApp(engine);
    const res = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'x-request-id': 'trace-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: 'no route GET /api/nope', requestId: 'trace-123' },
    });
    expect(res.headers['x-request-id']).toBe('trace-123');
  });

  it('never shows a stack trace to the client', async () => {
    t = await testApp(engine);
    const app = await buildApp(t.s, { serveConsole: false });
    app.get('/boom', async () => {
      throw new Error('secret internal detail at db.ts:42');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal');
    expect(res.body).not.toContain('secret internal detail');
    expect(res.body).not.toContain('db.ts');
    await app.close();
  });

  it('reports liveness, readiness and metrics', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('acme');
    const live = await t.app.inject({ method: 'GET', url: '/livez' });
    expect(live.statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['content-type']).toContain('application/health+json');
    expect(Object.keys(ready.json().checks).sort()).toEqual([
      'bus:connection',
      'database:connection',
      'database:migrations',
      'disk:free',
    ]);
    expect(ready.json().checks['database:connection'][0].output).toBe(engine);
    await owner.get('/api/auth/me');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('# TYPE kefu_http_request_duration_seconds histogram');
    expect(metrics).toMatch(
      /kefu_http_request_duration_seconds_bucket\{le="0\.005",node="[^"]+",method="GET",route="\/api\/auth\/me",status_code="200"\}/,
    );
    expect(metrics).toContain('kefu_process_resident_memory_bytes');
    // Nothing that walks every socket on the event loop at each scrape (10,000 of them cost tens of ms).
    expect(metrics).not.toContain('kefu_nodejs_active_handles');
    expect(metrics).not.toContain('kefu_nodejs_active_resources');
    if (process.platform === 'linux') expect(metrics).toMatch(/^kefu_process_open_fds\{node="[^"]+"\} [1-9]\d*$/m);
  });

  it('fails readiness when the database is gone', async () => {
    t = await testApp(engine);
    const raw = openSqlite(join(t.env.dataDir, 'closed.db'));
    raw.close();
    const closed = new Kysely<NoTables>({ dialect: nodeSqliteDialect(raw) });
    const broken = await buildApp({ ...t.s, db: closed }, { serveConsole: false });
    const res = await broken.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks['database:connection'][0].status).toBe('fail');
    await broken.close();
  });

  it('publishes OpenAPI 3 generated from the route schemas, with a docs page', async () => {
    t = await testApp(engine);
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/users', '/api/users/{id}', '/api/auth/login', '/api/audit']),
    );
    expect(spec.paths['/api/users'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'role',
    );
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('serves the console: hashed assets cached long, index.html not cached, SPA fallback', async () => {
    t = await testApp(engine);
    const dir = mkdtempSync(join(tmpdir(), 'kefu-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Kefu</title>');
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    const app = await buildApp(t.s, { consoleDir: dir });
    const asset = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const root = await app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<title>Kefu</title>');
    const deep = await app.inject({ method: 'GET', url: '/settings/users', headers: { accept: 'text/html' } });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>Kefu</title>');
    expect(deep.headers['cache-control']).toBe('no-cache');
    expect((await app.inject({ method: 'GET', url: '/api/unknown' })).json().error.code).toBe('not_found');
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    await app.close();
  });
});
