/**
 * What a module tells the rest of Kefu about itself: one descriptor, exported as `module` from its
 * index.ts and listed once in `modules/registry.ts`. The app, the worker, the scheduler, the event
 * dispatcher and the demo seed iterate the list, so adding a module is one line there.
 */
import type { FastifyInstance } from 'fastify';
import type { Permission } from '../shared/permissions.ts';
import type { Config, ProcessRole } from './config.ts';
import type { Services } from './context.ts';
import type { DomainEvent, EventName, EventSchemas } from './lib/events/index.ts';
import type { Job } from './lib/jobs/queue.ts';
import type { Schedule } from './lib/jobs/scheduler.ts';

export type ModuleListener = {
  /** Unique within the module; receipts are keyed by `<module>.<name>`. */
  name: string;
  on: readonly EventName[] | '*';
  /** Runs in its own transaction (`s.db`), once per event; events it publishes join that transaction. */
  handle(e: DomainEvent, s: Services): Promise<void>;
  /**
   * Optional, for storms: consecutive events of one type (each of another object, in outbox
   * order) in one transaction with all their receipts. Must do what `handle` does on each in turn
   * (a failed batch is delivered again one by one with `handle`).
   */
  handleBatch?(events: DomainEvent[], s: Services): Promise<void>;
};

/** What the demo workspace needs from a seed: where to put things. */
export type SeedTarget = { workspaceId: string; ownerId: string };

export type KefuModule = {
  name: string;
  /** The tables this module owns (created by migrations/); nobody else reads or writes them. */
  tables: readonly string[];
  /** Its domain events (events.ts): name → payload schema. */
  events?: EventSchemas;
  /** The permissions its routes check (documentation, and checked against the matrix in a test). */
  permissions?: readonly Permission[];
  routes?(app: FastifyInstance, s: Services): void;
  listeners?: readonly ModuleListener[];
  /** Job handlers by job type (run by the worker role). */
  jobs?: Readonly<Record<string, (job: Job, s: Services) => Promise<void>>>;
  /** Cron schedules (enqueued by the scheduler role); a function when they follow the configuration (e.g. its time zone). */
  schedules?: readonly Schedule[] | ((config: Config) => readonly Schedule[]);
  /** Registers its gauges and counters on `s.metrics` (once per registry). */
  metrics?(s: Services): void;
  /** Fills the demo workspace (on a fresh installation with the demo on). */
  seed?(s: Services, target: SeedTarget): Promise<void>;
  /** Starts its process-wide work for the roles this node runs (after the roles started; `kefu start`). */
  start?(s: Services, roles: readonly ProcessRole[], node: { url: string | null }): void | Promise<void>;
  /** Process-wide resources to release at shutdown (e.g. a writer thread). */
  stop?(s: Services): Promise<void>;
};
