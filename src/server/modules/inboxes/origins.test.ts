/**
 * Where a widget may be embedded (issue #9, finding 15): a new inbox names the shop's origins or
 * opts into "any site" explicitly; the API refuses neither. Inboxes made before keep working,
 * now saying they allow any site.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDb } from '../../db/index.ts';
import { migrateToLatest, migrator } from '../../db/migrate.ts';
import { allTables, engines, testApp, testEnv, type TestApp } from '../../testing/harness.ts';

describe.each(engines)('inbox origins on %s', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const session = (publicId: string, origin: string) =>
    t!.app.inject({
      method: 'POST',
      url: `/api/widget/${publicId}/session`,
      payload: { visitorId: 'visitor-origins-00000001', origin },
    });

  it('asks a new inbox for its origins, or an explicit opt-in to any site', async () => {
    t = await testApp(engine);
    const { owner } = await t.workspace('shop');
    const none = await owner.post('/api/inboxes', { name: 'Web' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/allowedOrigins/);
    expect((await owner.post('/api/inboxes', { name: 'Web', settings: { allowedOrigins: [] } })).statusCode).toBe(400);

    const shop = (
      await owner.post('/api/inboxes', { name: 'Shop', settings: { allowedOrigins: ['https://shop.example.com'] } })
    ).json();
    expect(shop.settings).toMatchObject({ allowedOrigins: ['https://shop.example.com'], allowAnyOrigin: false });
    expect((await session(shop.publicId, 'https://shop.example.com')).statusCode).toBe(200);
    expect((await session(shop.publicId, 'https://evil.example')).json().error.code).toBe('origin_not_allowed');
    // Taking the origins away again needs the opt-in too.
    expect((await owner.patch(`/api/inboxes/${shop.id}`, { settings: { allowedOrigins: [] } })).statusCode).toBe(400);

    const trial = (await owner.post('/api/inboxes', { name: 'Trial', settings: { allowAnyOrigin: true } })).json();
    expect((await session(trial.publicId, 'https://anywhere.example')).statusCode).toBe(200);
  });

  it('marks inboxes made before as allowing any site, so they keep working (migration 0008)', async () => {
    const env = await testEnv(engine);
    const h = openDb({
      databaseUrl: env.config.databaseUrl,
      sqliteFile: join(env.dataDir, 'kefu.db'),
      pgSchema: env.pgSchema,
    });
    try {
      // The schema before 0008, with an inbox of each kind as earlier versions wrote them.
      expect((await (await migrator(h.db)).migrateTo('0005-outbox-and-module-split')).error).toBeUndefined();
      const db = allTables(h);
      const at = '2026-03-01T00:00:00.000Z';
      await db
        .insertInto('workspaces')
        .values({
          id: 'ws_1',
          name: 'Shop',
          slug: 'shop',
          timezone: 'Asia/Shanghai',
          default_language: 'zh-CN',
          created_at: at,
          updated_at: at,
        })
        .execute();
      const old = (id: string, allowedOrigins: string[]) => ({
        id,
        workspace_id: 'ws_1',
        public_id: `wi_${id}`,
        name: id,
        channel: 'web',
        settings: JSON.stringify({ color: '#1677ff', allowedOrigins, requireIdentity: false }),
        identity_secret: 'x',
        created_at: at,
        updated_at: at,
      });
      await db
        .insertInto('inboxes')
        .values([old('open', []), old('kept', ['https://shop.example.com'])])
        .execute();
      await migrateToLatest(h.db);
      const rows = await db.selectFrom('inboxes').select(['id', 'settings']).orderBy('id').execute();
      expect(rows.map((r) => [r.id, JSON.parse(r.settings).allowAnyOrigin])).toEqual([
        ['kept', false],
        ['open', true],
      ]);
    } finally {
      await h.close();
      await env.cleanup();
    }
  });
});
