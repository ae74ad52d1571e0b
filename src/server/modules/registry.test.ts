/**
 * The registry tells the truth: every module folder is registered, every table of the migrated
 * database is owned by exactly one module (or the infrastructure), every permission a module names
 * exists, and every event a listener waits for is declared by some module.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { permissions } from '../../shared/permissions.ts';
import { engines, testApp, type TestApp } from '../testing/harness.ts';
import { modules } from './registry.ts';

/** Tables that belong to infrastructure rather than a module (lib/ops-records: log_records, perf_samples). */
const infrastructure = [
  'jobs',
  'outbox',
  'outbox_receipts',
  'kefu_migrations',
  'kefu_migrations_lock',
  'log_records',
  'perf_samples',
];

const here = fileURLToPath(new URL('.', import.meta.url));

describe('module registry', () => {
  it('lists every module folder once, in an order where each comes after what it imports', () => {
    const folders = readdirSync(here).filter((f) => statSync(join(here, f)).isDirectory());
    expect(modules.map((m) => m.name).sort()).toEqual(folders.sort());
    expect(new Set(modules.map((m) => m.name)).size).toBe(modules.length);
    const order = modules.map((m) => m.name);
    for (const m of order) {
      const sources = readdirSync(join(here, m)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
      for (const f of sources) {
        const text = readFileSync(join(here, m, f), 'utf8');
        for (const [, dep] of text.matchAll(/from '\.\.\/([\w-]+)\/index\.ts'/g))
          expect(order.indexOf(dep), `${m}/${f} imports ${dep}`).toBeLessThan(order.indexOf(m));
      }
    }
  });

  it('gives each table one owner', () => {
    const owners = new Map<string, string[]>();
    for (const m of modules) for (const t of m.tables) owners.set(t, [...(owners.get(t) ?? []), m.name]);
    for (const [table, who] of owners) expect(who, table).toHaveLength(1);
    for (const t of infrastructure) expect(owners.has(t), t).toBe(false);
  });

  it('names only permissions of the matrix', () => {
    for (const m of modules) for (const p of m.permissions ?? []) expect(permissions, `${m.name}: ${p}`).toContain(p);
  });

  it('has listeners wait only for declared events, and declares each event once', () => {
    const declared = modules.flatMap((m) => Object.keys(m.events ?? {}));
    expect(new Set(declared).size).toBe(declared.length);
    for (const m of modules)
      for (const l of m.listeners ?? [])
        if (l.on !== '*') for (const e of l.on) expect(declared, `${m.name}.${l.name} waits for ${e}`).toContain(e);
  });
});

describe.each(engines)('table ownership on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  it('every table of the migrated database is owned by a module or the infrastructure', async () => {
    t = await testApp(engine);
    const q =
      engine === 'postgres'
        ? sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema()`
        : // Ordinary tables only: the FTS5 search indexes (virtual tables and their shadow tables)
          // and the messages index's queue (migration 0089) belong to the table they index
          // (docs/ARCHITECTURE.md, "Search").
          sql<{
            name: string;
          }>`select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%'
              and name <> 'messages_fts_pending'`;
    const tables = (await q.execute(t.s.db)).rows.map((r) => r.name).sort();
    const owned = [...modules.flatMap((m) => m.tables), ...infrastructure].sort();
    expect(tables).toEqual(owned);
  });
});
