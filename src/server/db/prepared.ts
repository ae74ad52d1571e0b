/**
 * Statements built once: Kysely builds and compiles a query's SQL on every call, which in a hot
 * loop (a storm of alert transitions: thousands of small writes) costs as much CPU as running the
 * statement. `prepared` builds a query once per engine with placeholder arguments, keeps the SQL
 * and where each argument goes in the parameter list, and later runs that SQL with the arguments
 * (the SQLite driver also reuses its prepared statement per SQL text: sqlite-driver.ts).
 *
 * The query's shape must not depend on the arguments (no `in` lists of varying length, no
 * conditional clauses): they only fill parameters. Raw SQL fragments without parameters are kept.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import { engineOf, type Engine, type Executor } from './index.ts';

type Template = { sql: string; slots: (number | { value: unknown })[] };

// A value no caller passes: a placeholder argument the compiled parameter list is searched for.
const marker = '\u0000kefu-arg-';
const placeholder = (i: number) => `${marker}${i}`;
const slotOf = (p: unknown): number | null =>
  typeof p === 'string' && p.startsWith(marker) ? Number(p.slice(marker.length)) : null;

/**
 * A statement with `arity` arguments: `build(db, args)` makes the query from the (placeholder)
 * arguments. The result runs it on an executor (a handle or a transaction) with real arguments.
 */
export function prepared<DB, A extends unknown[]>(
  arity: A['length'],
  view: (e: Executor) => Kysely<DB>,
  build: (db: Kysely<DB>, ...args: A) => Compilable<unknown>,
): (e: Executor, ...args: A) => Promise<QueryResult<unknown>> {
  const templates = new Map<Engine, Template>();
  return (e, ...args) => {
    const db = view(e);
    const engine = engineOf(db);
    let t = templates.get(engine);
    if (!t) {
      const compiled = build(db, ...(Array.from({ length: arity }, (_, i) => placeholder(i)) as A)).compile();
      const slots = compiled.parameters.map((p) => slotOf(p) ?? { value: p });
      const used = new Set(slots.filter((x): x is number => typeof x === 'number'));
      if (used.size !== arity)
        throw new Error(`prepared: ${arity - used.size} argument(s) not found in ${compiled.sql}`);
      t = { sql: compiled.sql, slots };
      templates.set(engine, t);
    }
    const params = t.slots.map((x) => (typeof x === 'number' ? args[x] : x.value));
    return db.executeQuery(CompiledQuery.raw(t.sql, params));
  };
}
