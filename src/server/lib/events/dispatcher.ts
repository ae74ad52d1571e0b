/**
 * Writes events into the outbox and delivers them: to every listener (each in its own transaction
 * with a receipt, so it runs once per event however often the event is delivered), then to the
 * bus, then marks the row delivered. Rows are claimed with a lease, one per aggregate at a time,
 * so several nodes can dispatch without reordering one object's events.
 *
 * A listener that takes batches (`handleBatch`) gets a run of consecutive claimed events of one
 * type (a storm: thousands of alerts firing, each its own aggregate) in one transaction with all
 * their receipts: a crash before its commit redelivers the whole run, after it none of it runs
 * again. Every other row is delivered alone, as before.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { z } from 'zod';
import { engineOf, type Db, type Executor, type Tx } from '../../db/index.ts';
import type { Bus } from '../bus.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { timeSlice } from '../turns.ts';
import { outboxRow, type OutboxRow } from './row.ts';
import { own, type OutboxTable } from './schema.ts';
import { eventsChannel, type DomainEvent, type EventName, type EventSchemas, type NewEvent } from './types.ts';

/** The transaction a change runs in, the events it wrote, and what to do once it commits. */
export type ListenerScope = { tx: Tx; eventIds: string[]; after: (() => unknown)[] };

export type Listener = {
  /** Unique and stable: receipts are keyed by it (module.purpose, e.g. `audit.record`). */
  name: string;
  on: readonly EventName[] | '*';
  handle(e: DomainEvent, scope: ListenerScope): Promise<void>;
  /**
   * Optional: several events at once (in outbox order, each of another aggregate, none seen by
   * this listener before), in one transaction with their receipts. Must have the effect of
   * `handle` on each in turn. Should it fail, the events are delivered one by one with `handle`.
   */
  handleBatch?(events: DomainEvent[], scope: ListenerScope): Promise<void>;
};

export type EventsOptions = {
  db: Db;
  bus: Bus;
  clock: Clock;
  log: Logger;
  /** Test-only fault injection (the crash tests): called at the two points a crash matters. */
  faults?: { beforeDelivery?(e: DomainEvent): void; afterListener?(listener: string, e: DomainEvent): void };
};

const claimBatch = 100;
// How long a claimed event is left to its dispatcher before another may take it (after a crash, this delays it).
const leaseMs = 10_000;
const maxAttempts = 10;
const waitForOthersMs = 3000;
/**
 * Delivering gives the loop a turn after this much work: a storm of events (thousands of alerts
 * firing at once, each opening or joining an incident) would otherwise hold the chat gateway's
 * loop for this long at every turn (5 ms moved its delay p99 by as much; the goal is ≤ 2 ms).
 */
const deliverySliceMs = 2;
/**
 * At most this many consecutive events of one type go to a batch-taking listener at once (one
 * unit of work between turns of the loop; the alert writes' chunks are as long, `chunkRows`).
 */
export const deliveryBatch = 20;

export class Events {
  private readonly schemas = new Map<string, z.ZodType>();
  private readonly listeners: Listener[] = [];
  private readonly opts: EventsOptions;
  private readonly queue = new Set<string>();
  private scanRequested = false;
  private draining: Promise<void> | null = null;
  private poller: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(opts: EventsOptions) {
    this.opts = opts;
  }

  /** Makes a module's events publishable (the registry calls this once per module). */
  declare(schemas: EventSchemas): void {
    for (const [name, schema] of Object.entries(schemas)) {
      if (this.schemas.has(name)) throw new Error(`event ${name} is declared twice`);
      this.schemas.set(name, schema);
    }
  }

  listen(l: Listener): void {
    if (this.listeners.some((x) => x.name === l.name)) throw new Error(`listener ${l.name} is registered twice`);
    this.listeners.push(l);
  }

  /** Checks the payload against its schema and writes the event into the outbox through `e` (a transaction). */
  async write(ex: Executor, e: NewEvent): Promise<string> {
    const event: DomainEvent = { ...e, data: this.check(e.type, e.data) as never, id: newId('evt') };
    await outboxInsert(ex, [outboxRow(event, this.opts.clock.now().toISOString())]).execute();
    return event.id;
  }

  /**
   * The payload as its schema parses it; throws when the event is undeclared or the payload
   * does not match. For writers that store the row themselves (see `outboxRow`): check first.
   */
  check(type: string, data: unknown): unknown {
    const schema = this.schemas.get(type);
    if (!schema) throw new Error(`event ${type} is not declared by any module`);
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new Error(`event ${type} has an invalid payload: ${parsed.error.message}`);
    return parsed.data;
  }

  /**
   * Delivers these (committed) events now and resolves when that was tried; events that another
   * node is delivering at this moment are waited for briefly. Never call it inside a transaction.
   */
  async deliver(ids: string[]): Promise<void> {
    if (!ids.length) return;
    for (const id of ids) this.queue.add(id);
    await this.drain();
    // Rows still open are failing (retried later by the poller), held behind an earlier event of
    // their object, or being delivered by another node right now: only that last kind is waited for.
    const deadline = Date.now() + waitForOthersMs;
    for (;;) {
      const leasedElsewhere = await own(this.opts.db)
        .selectFrom('outbox')
        .select('id')
        .where('id', 'in', ids)
        .where('delivered_at', 'is', null)
        .where('last_error', 'is', null)
        .where('lease_until', '>', this.opts.clock.now().toISOString())
        .execute();
      if (!leasedElsewhere.length || Date.now() > deadline || this.stopped) return;
      await sleep(20);
      for (const r of leasedElsewhere) this.queue.add(r.id);
      await this.drain();
    }
  }

  /** Starts the poller that delivers whatever is left (after a crash, a failure, or another node's commit). */
  start(pollMs = 1000): void {
    this.stopped = false;
    this.poller = setInterval(() => {
      this.scanRequested = true;
      void this.drain();
    }, pollMs);
    this.poller.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    await this.draining;
  }

  /** Deletes delivered events older than `ageMs` and receipts whose event is gone. */
  async prune(ageMs: number): Promise<number> {
    const before = new Date(this.opts.clock.now().getTime() - ageMs).toISOString();
    const db = own(this.opts.db);
    const r = await db.deleteFrom('outbox').where('delivered_at', '<', before).executeTakeFirst();
    await db
      .deleteFrom('outbox_receipts')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('outbox').select('outbox.id').whereRef('outbox.id', '=', 'outbox_receipts.event_id'))),
      )
      .execute();
    return Number(r.numDeletedRows);
  }

  /** Undelivered events and the age of the oldest (for monitoring). */
  async backlog(): Promise<{ count: number; oldestAt: string | null }> {
    const r = await own(this.opts.db)
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { count: Number(r.n), oldestAt: (r.oldest as string | null) ?? null };
  }

  private drain(): Promise<void> {
    return (this.draining ??= (async () => {
      const pause = timeSlice(deliverySliceMs);
      try {
        while (!this.stopped && (this.queue.size || this.scanRequested)) {
          if (this.queue.size) {
            const ids = [...this.queue];
            this.queue.clear();
            // One event per object is claimed at a time: while that makes progress, try the rest again.
            const claimed = new Set(await this.runOnce(ids, pause));
            if (claimed.size) for (const id of ids) if (!claimed.has(id)) this.queue.add(id);
          } else {
            this.scanRequested = false;
            while (!this.stopped && (await this.runOnce(null, pause)).length > 0);
          }
        }
      } catch (err) {
        this.opts.log.error({ err }, 'event dispatch failed');
      } finally {
        this.draining = null;
      }
    })());
  }

  /** Claims due events (these ids, or any), delivers them in order; returns the ids claimed. */
  private async runOnce(ids: string[] | null, pause: () => Promise<void>): Promise<string[]> {
    const rows = await this.claim(ids);
    for (const run of this.runs(rows)) {
      await this.deliverRows(run);
      // A storm of events (thousands of alerts at once) takes turns with the sockets and timers.
      await pause();
    }
    return rows.map((r) => r.id);
  }

  /**
   * The claimed rows in delivery units: consecutive rows of a type that a listener naming it takes
   * in batches, up to `deliveryBatch` of them; every other row alone (so other events' listeners
   * run in exactly the order they always did).
   */
  private runs(rows: OutboxTable[]): OutboxTable[][] {
    const out: OutboxTable[][] = [];
    for (const row of rows) {
      const last = out.at(-1);
      if (last && last[0].type === row.type && last.length < deliveryBatch && this.batched(row.type)) last.push(row);
      else out.push([row]);
    }
    return out;
  }

  private batched(type: string): boolean {
    return this.listeners.some((l) => l.handleBatch && l.on !== '*' && l.on.includes(type as EventName));
  }

  private async claim(ids: string[] | null): Promise<OutboxTable[]> {
    const { db, clock } = this.opts;
    const now = clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const lock = engineOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
    const only = ids ? sql`and o.id in (${sql.join(ids)})` : sql``;
    const r = await sql<OutboxTable>`
      update outbox set lease_until = ${until}, attempts = attempts + 1
      where seq in (
        select o.seq from outbox o
        where o.delivered_at is null and (o.lease_until is null or o.lease_until < ${nowIso}) ${only}
          and not exists (
            select 1 from outbox p where p.aggregate = o.aggregate and p.seq < o.seq and p.delivered_at is null
          )
        order by o.seq limit ${claimBatch} ${lock}
      )
      returning *`.execute(db);
    return r.rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  /** Delivers rows (one, or a run of one type): each listener in turn, then the bus, then marks them delivered. */
  private async deliverRows(rows: OutboxTable[]): Promise<void> {
    const { db, bus, clock, faults } = this.opts;
    const events = rows.map((row) => JSON.parse(row.payload) as DomainEvent);
    for (const e of events) faults?.beforeDelivery?.(e);
    // Rows a listener failed on: retried later, left out of the listeners after it and the bus.
    const failed = new Set<number>();
    for (const l of this.listeners) {
      const mine = events.flatMap((e, i) => (!failed.has(i) && (l.on === '*' || l.on.includes(e.type)) ? [i] : []));
      if (!mine.length) continue;
      if (l.handleBatch && mine.length > 1) {
        try {
          await this.runBatch(
            l,
            mine.map((i) => events[i]),
          );
          continue;
        } catch (err) {
          // Nothing of it committed (or all of it did): one by one, the failing event is found and retried alone.
          this.opts.log.warn({ err, listener: l.name, events: mine.length }, 'a batch failed; delivering one by one');
        }
      }
      for (const i of mine) if (!(await this.tryListener(l, rows[i], events[i]))) failed.add(i);
    }
    const done: string[] = [];
    for (const [i, e] of events.entries()) {
      if (failed.has(i)) continue;
      try {
        await bus.publish(eventsChannel, e);
        done.push(rows[i].id);
      } catch (err) {
        await this.retryLater(rows[i], `bus: ${String(err)}`, err);
      }
    }
    if (!done.length) return;
    await own(db)
      .updateTable('outbox')
      .set({ delivered_at: clock.now().toISOString(), lease_until: null, last_error: null })
      .where('id', 'in', done)
      .execute();
  }

  /** Runs one listener on one event; false when the row is to be retried later. */
  private async tryListener(l: Listener, row: OutboxTable, e: DomainEvent): Promise<boolean> {
    const { db, clock, log } = this.opts;
    try {
      await this.runListener(l, e);
      return true;
    } catch (err) {
      if (row.attempts < maxAttempts) {
        await this.retryLater(row, `${l.name}: ${String(err)}`, err);
        return false;
      }
      // Given up on this listener for this event, so the aggregate's later events are not held back forever.
      log.error({ err, listener: l.name, event: e.type, eventId: e.id }, 'event listener gave up after retries');
      await own(db)
        .insertInto('outbox_receipts')
        .values({ listener: l.name, event_id: e.id, failed: 1, created_at: clock.now().toISOString() })
        .onConflict((oc) => oc.columns(['listener', 'event_id']).doNothing())
        .execute();
      return true;
    }
  }

  private async runListener(l: Listener, e: DomainEvent): Promise<void> {
    const scope = await this.inTransaction(l.name, [e], async (fresh, scope) => {
      if (fresh.length) await l.handle(e, scope);
    });
    this.opts.faults?.afterListener?.(l.name, e);
    await this.afterCommit(l, scope);
  }

  /** A batch-taking listener on several events: one transaction with all their receipts. */
  private async runBatch(l: Listener, events: DomainEvent[]): Promise<void> {
    const scope = await this.inTransaction(l.name, events, async (fresh, scope) => {
      if (fresh.length) await l.handleBatch!(fresh, scope);
    });
    for (const e of events) this.opts.faults?.afterListener?.(l.name, e);
    await this.afterCommit(l, scope);
  }

  /**
   * A transaction that writes the listener's receipts for these events and runs `body` on those
   * it had none for (the others ran before: a redelivery).
   */
  private async inTransaction(
    listener: string,
    events: DomainEvent[],
    body: (fresh: DomainEvent[], scope: ListenerScope) => Promise<void>,
  ): Promise<ListenerScope> {
    const { db, clock } = this.opts;
    const scope: ListenerScope = { tx: null as unknown as Tx, eventIds: [], after: [] };
    await db.transaction().execute(async (tx) => {
      scope.tx = tx;
      const at = clock.now().toISOString();
      const r = await own(tx)
        .insertInto('outbox_receipts')
        .values(events.map((e) => ({ listener, event_id: e.id, failed: 0, created_at: at })))
        .onConflict((oc) => oc.columns(['listener', 'event_id']).doNothing())
        .returning('event_id')
        .execute();
      const fresh = new Set(r.map((x) => x.event_id));
      await body(
        events.filter((e) => fresh.has(e.id)),
        scope,
      );
    });
    return scope;
  }

  private async afterCommit(l: Listener, scope: ListenerScope): Promise<void> {
    for (const f of scope.after) {
      try {
        await f();
      } catch (err) {
        this.opts.log.warn({ err, listener: l.name }, 'after-commit step of a listener failed');
      }
    }
    // Events the listener raised: delivered by the drain that is running now.
    for (const id of scope.eventIds) this.queue.add(id);
  }

  private async retryLater(row: OutboxTable, message: string, err: unknown): Promise<void> {
    const { db, clock, log } = this.opts;
    log.warn({ err, eventId: row.id, event: row.type, attempt: row.attempts }, 'event delivery failed; retrying later');
    const backoff = Math.min(10 * 60_000, 1000 * 2 ** row.attempts);
    await own(db)
      .updateTable('outbox')
      .set({ lease_until: new Date(clock.now().getTime() + backoff).toISOString(), last_error: message.slice(0, 2000) })
      .where('id', '=', row.id)
      .execute();
  }
}

/**
 * The INSERT of outbox rows through `ex`, not yet executed: a writer that commits its own
 * statements (the chat writer on PostgreSQL) embeds it in one of them, in its transaction.
 */
export function outboxInsert(ex: Executor, rows: OutboxRow[]) {
  return own(ex)
    .insertInto('outbox')
    .values(rows as never);
}
