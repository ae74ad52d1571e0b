/**
 * The explicit context passed to every service function: no DI container, no globals.
 * `Services` lives as long as the process; `Ctx` adds who is acting, and from where. Inside a
 * unit of work both carry the transaction as `db` and the events written so far as `uow`.
 */
import type { Registry } from 'prom-client';
import type { Permission, Role } from '../shared/permissions.ts';
import type { Config } from './config.ts';
import type { Db, Engine, Tx } from './db/index.ts';
import type { BlobStore } from './lib/blobs.ts';
import type { Bus } from './lib/bus.ts';
import type { Clock } from './lib/clock.ts';
import type { Cipher } from './lib/crypto.ts';
import type { Limiter } from './lib/limits.ts';
import type { OpsRecorder } from './lib/ops-records/recorder.ts';
import type { ActorRef, EventMap, EventName, Events, ListenerScope } from './lib/events/index.ts';
import type { Logger } from './lib/logger.ts';

export type Services = {
  config: Config;
  /** The database; inside a unit of work, its transaction. */
  db: Db;
  engine: Engine;
  bus: Bus;
  events: Events;
  clock: Clock;
  log: Logger;
  cipher: Cipher;
  /** Where uploads live (the data folder today; S3-compatible later). */
  blobs: BlobStore;
  /** Request limits checked on several keys at once (uploads: per visitor, IP and workspace); shared through Redis. */
  limiter: Limiter;
  /** This process's Prometheus registry: every module registers its metrics here. */
  metrics: Registry;
  /** Per-process resources that modules create on first use (e.g. the chat writer); see `moduleState`. */
  state: Map<string, unknown>;
  /** Set inside a unit of work: the transaction, the events it wrote, what runs after it commits. */
  uow?: Uow;
  /** This process's operations records (log signatures, statement and rule timings) for the weekly report. */
  opsRecorder?: OpsRecorder;
  /** Test-only crash points (`KEFU_FAULT`, services.ts); never set in production. */
  faults?: Faults;
};

/** Where the crash tests stop a process: after the chat writer committed a batch (with the events it wrote); midway through a backup. */
export type Faults = {
  afterChatCommit?(eventIds: string[]): void;
  /** A backup wrote its n-th new chunk to its target (the crash test kills the process midway). */
  backupChunkWritten?(n: number): void;
};

/**
 * A module's process-wide resource, created on first use and shared by every copy of the
 * services (contexts are copies); the module releases it in its descriptor's `stop`.
 */
export function moduleState<T>(s: Pick<Services, 'state'>, key: string, create: () => T): T {
  if (!s.state.has(key)) s.state.set(key, create());
  return s.state.get(key) as T;
}

export type Uow = ListenerScope;

export type Actor = {
  type: 'user' | 'token';
  userId: string;
  workspaceId: string;
  /** The name colleagues know the person by: the display name (昵称), else the account name. */
  name: string;
  /** The account's own name (sign-offs, where who signed must be the account). */
  accountName?: string;
  email: string;
  role: Role;
  installationOwner: boolean;
  /** What this request may do: the role's permissions, narrowed by a token's scopes. */
  permissions: Permission[];
  /** A temporary password not yet replaced: the server refuses everything but changing it and signing out. */
  mustChangePassword?: boolean;
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
};

export type Ctx = Services & { actor: Actor; ip: string | null };

/** Anything that can publish: a request's Ctx, or Services (the system acts) with an optional IP. */
export type Scope = Services & { actor?: Actor | null; ip?: string | null };

export function actorRef(actor: Actor | null | undefined): ActorRef {
  if (!actor) return { type: 'system', id: null, name: null };
  return { type: actor.type, id: actor.type === 'token' ? actor.tokenId! : actor.userId, name: actor.name };
}

/**
 * Runs `fn` in one transaction: `fn` gets a copy of the scope whose `db` is the transaction.
 * Events published inside are written in that transaction and delivered once it commits (the
 * call returns after delivery, so a request answers after its audit entry exists); `afterCommit`
 * steps (bus pushes) run then too. Inside another unit of work it simply joins it.
 */
export async function unitOfWork<S extends Scope, T>(s: S, fn: (s: S) => Promise<T>): Promise<T> {
  if (s.uow) return fn(s);
  const uow: Uow = { tx: null as unknown as Tx, eventIds: [], after: [] };
  const result = await s.db.transaction().execute(async (tx) => {
    uow.tx = tx;
    return fn({ ...s, db: tx, uow });
  });
  for (const step of uow.after) await step();
  await s.events.deliver(uow.eventIds);
  return result;
}

/** Runs `step` once the current unit of work commits (at once outside one): bus pushes, chat posts. */
export async function afterCommit(s: Pick<Services, 'uow'>, step: () => unknown): Promise<void> {
  if (s.uow) s.uow.after.push(step);
  else await step();
}

/**
 * Publishes a domain event: written into the outbox in the current unit of work (delivered after
 * it commits), or on its own and delivered at once when there is none. `data` is checked against
 * the event's schema in the declaring module's events.ts.
 */
export async function publish<K extends EventName>(
  s: Scope,
  type: K,
  workspaceId: string,
  objectType: string,
  objectId: string | null,
  data: EventMap[K],
): Promise<void> {
  const e = {
    type,
    workspaceId,
    actor: actorRef(s.actor),
    ip: s.ip ?? null,
    objectType,
    objectId,
    data,
    at: s.clock.now().toISOString(),
  };
  if (s.uow) {
    s.uow.eventIds.push(await s.events.write(s.uow.tx, e));
    return;
  }
  const id = await s.events.write(s.db, e);
  await s.events.deliver([id]);
}

/** The scope a listener works in: the services with the listener's transaction. */
export function listenerScope(s: Services, scope: Uow): Services {
  return { ...s, db: scope.tx, uow: scope };
}
