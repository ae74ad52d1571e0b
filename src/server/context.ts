/**
 * The explicit context passed to every service function: no DI container, no globals.
 * `Services` lives as long as the process; `Ctx` adds who is acting, and from where.
 */
import type { Permission, Role } from '../shared/permissions.ts';
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import type { BlobStore } from './lib/blobs.ts';
import type { MessageWriter } from './modules/conversations/writer.ts';
import type { Db, Engine } from './db/index.ts';
import type { Bus } from './lib/bus.ts';
import type { Clock } from './lib/clock.ts';
import type { Cipher } from './lib/crypto.ts';
import type { ActorRef, DomainEvent, Events } from './lib/events.ts';
import type { Logger } from './lib/logger.ts';

export type Services = {
  config: Config;
  db: Db;
  engine: Engine;
  bus: Bus;
  events: Events;
  clock: Clock;
  log: Logger;
  cipher: Cipher;
  /** Where uploads live (the data folder today; S3-compatible later). */
  blobs: BlobStore;
  /** The batched, durable message write path (created on first use). */
  messages: MessageWriter;
  /** This process's Prometheus registry: every module registers its metrics here. */
  metrics: Registry;
};

export type Actor = {
  type: 'user' | 'token';
  userId: string;
  workspaceId: string;
  name: string;
  email: string;
  role: Role;
  installationOwner: boolean;
  /** What this request may do: the role's permissions, narrowed by a token's scopes. */
  permissions: Permission[];
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
};

export type Ctx = Services & { actor: Actor; ip: string | null };

export function actorRef(actor: Actor | null): ActorRef {
  if (!actor) return { type: 'system', id: null, name: null };
  return { type: actor.type, id: actor.type === 'token' ? actor.tokenId! : actor.userId, name: actor.name };
}

/** Builds a domain event from a context; publish it after the transaction commits. */
export function event(
  ctx: Pick<Ctx, 'clock' | 'ip'> & { actor: Actor | null },
  type: DomainEvent['type'],
  workspaceId: string,
  objectType: string,
  objectId: string | null,
  data: Record<string, unknown> = {},
): DomainEvent {
  return {
    type,
    workspaceId,
    actor: actorRef(ctx.actor),
    ip: ctx.ip,
    objectType,
    objectId,
    data,
    at: ctx.clock.now().toISOString(),
  };
}
