/** The service context of an authenticated request (the actor was set by the auth hook). */
import type { FastifyRequest } from 'fastify';
import type { Ctx, Services } from '../context.ts';
import { unauthenticated } from '../lib/errors.ts';

export function ctxOf(services: Services, req: FastifyRequest): Ctx {
  if (!req.actor) throw unauthenticated();
  return { ...services, log: req.log, actor: req.actor, ip: req.ip };
}
