/**
 * 0006 on a database that already holds chat history (each engine): `prev_public_seq` and
 * `last_public_seq` computed from the existing messages (notes skipped), and resends keyed by the
 * sender (two senders may share a client id; one sender may not reuse it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../src/server/db/index.ts';
import { migrateToLatest, migrator } from '../src/server/db/migrate.ts';
import { engines, freshPgSchema, pgUrl } from '../src/server/testing/harness.ts';

const at = '2026-03-01T00:00:00.000Z';

describe.each(engines)('migration 0006 on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function database(): Promise<DbHandle> {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-0006-'));
    const pgs = engine === 'postgres' ? await freshPgSchema() : undefined;
    const h = pgs
      ? openDb({ databaseUrl: pgUrl, pgSchema: pgs.schema, poolSize: 2 })
      : openDb({ sqliteFile: join(dir, 'kefu.db') });
    cleanups.push(async () => {
      await h.close();
      await pgs?.drop();
      rmSync(dir, { recursive: true, force: true });
    });
    return h;
  }

  it('computes prev and the last public seq from existing messages, and keys client ids by sender', async () => {
    const h = await database();
    const db = h.db as Kysely<any>;
    const before = await (await migrator(h.db)).migrateTo('0005-outbox-and-module-split');
    expect(before.error).toBeUndefined();
    await db
      .insertInto('workspaces')
      .values({
        id: 'ws',
        name: 'W',
        slug: 'w',
        timezone: 'UTC',
        default_language: 'en',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('inboxes')
      .values({
        id: 'inb',
        workspace_id: 'ws',
        public_id: 'pub',
        name: 'Web',
        channel: 'web',
        settings: '{}',
        identity_secret: 'x',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('customers')
      .values({ id: 'cus', workspace_id: 'ws', created_at: at, updated_at: at })
      .execute();
    const conv = (id: string, last_seq: number) => ({
      id,
      workspace_id: 'ws',
      inbox_id: 'inb',
      customer_id: 'cus',
      status: 'open',
      last_seq,
      created_at: at,
      updated_at: at,
    });
    await db
      .insertInto('conversations')
      .values([conv('c1', 6), conv('c2', 2), conv('c3', 0)])
      .execute();
    // c1: text, note, note, text, text, note — c2: note, text
    const kinds: [string, number, string][] = [
      ['c1', 1, 'text'],
      ['c1', 2, 'note'],
      ['c1', 3, 'note'],
      ['c1', 4, 'text'],
      ['c1', 5, 'image'],
      ['c1', 6, 'note'],
      ['c2', 1, 'note'],
      ['c2', 2, 'text'],
    ];
    await db
      .insertInto('messages')
      .values(
        kinds.map(([c, seq, kind]) => ({
          id: `${c}_${seq}`,
          workspace_id: 'ws',
          conversation_id: c,
          seq,
          client_id: `k${seq}`,
          sender_type: kind === 'note' ? 'agent' : 'customer',
          sender_id: kind === 'note' ? 'usr_1' : 'cus',
          sender_name: null,
          kind,
          body: `${c} ${seq}`,
          attachments: '[]',
          created_at: at,
        })),
      )
      .execute();

    expect(await migrateToLatest(h.db)).toContain('0006-chat-writer');

    const prev = await db
      .selectFrom('messages')
      .select(['id', 'prev_public_seq'])
      .orderBy('conversation_id')
      .orderBy('seq')
      .execute();
    expect(prev.map((r) => [r.id, r.prev_public_seq])).toEqual([
      ['c1_1', 0],
      ['c1_2', 1],
      ['c1_3', 1],
      ['c1_4', 1],
      ['c1_5', 4],
      ['c1_6', 5],
      ['c2_1', 0],
      ['c2_2', 0],
    ]);
    const last = await db.selectFrom('conversations').select(['id', 'last_public_seq']).orderBy('id').execute();
    expect(last.map((r) => [r.id, r.last_public_seq])).toEqual([
      ['c1', 5],
      ['c2', 2],
      ['c3', 0],
    ]);

    // Another sender may use a client id already taken in the conversation; the same sender may not.
    const row = {
      workspace_id: 'ws',
      conversation_id: 'c1',
      seq: 7,
      prev_public_seq: 5,
      client_id: 'k1',
      sender_type: 'agent',
      sender_id: 'usr_2',
      sender_name: null,
      kind: 'text',
      body: 'x',
      attachments: '[]',
      created_at: at,
    };
    await db
      .insertInto('messages')
      .values({ ...row, id: 'other_sender' })
      .execute();
    await expect(
      db
        .insertInto('messages')
        .values({ ...row, id: 'same_sender', seq: 8 })
        .execute(),
    ).rejects.toThrow(/unique|UNIQUE/);
  });
});
