/**
 * Ending a silence before its time (the console's "end now"): its end time becomes now, so it no
 * longer holds back the alerts it matched from the next evaluation on (their notification goes
 * out then). The audit log records who ended it (`ops_silence.ended`, with the actor).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Name, SilenceInput } from '../../../shared/ops-api.ts';
import { OkResponse } from '../../../shared/ops-responses.ts';
import { publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import { ctxOf } from '../../http/context.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { saveConfigObject } from './config-store.ts';
import { own } from './schema.ts';

/** Sets the silence's end to now; 404 when there is none of that name, 409 when it has ended already. */
export async function endSilence(ctx: Ctx, name: string): Promise<void> {
  await unitOfWork(ctx, async (tx) => {
    const row = await own(tx.db)
      .selectFrom('monitoring_config')
      .select(['definition', 'position'])
      .where('kind', '=', 'silence')
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw notFound('silence');
    const silence = SilenceInput.parse(JSON.parse(row.definition));
    const now = tx.clock.now();
    if (Date.parse(silence.endsAt) <= now.getTime()) throw conflict(`silence ${name} has already ended`);
    // One that has not started yet ends before it starts: its start goes too (a start must precede the end).
    const { startsAt, ...rest } = silence;
    const started = !startsAt || Date.parse(startsAt) < now.getTime();
    const ended = { ...rest, ...(started && startsAt ? { startsAt } : {}), endsAt: now.toISOString() };
    await saveConfigObject(tx.db, 'silence', name, ended, row.position, now);
    await publish(tx, 'ops_silence.ended', tx.actor.workspaceId, 'ops_config', 'installation', {
      name,
      endedAt: ended.endsAt,
      scheduledEnd: silence.endsAt,
    });
  });
}

export function silenceRoutes(app: FastifyInstance, s: Services): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/ops/silences/:name/end',
    {
      config: { permission: 'installation.ops' },
      schema: { tags: ['monitoring'], params: z.strictObject({ name: Name }), response: { 200: OkResponse } },
    },
    async (req) => {
      await endSilence(ctxOf(s, req), req.params.name);
      return { ok: true };
    },
  );
}
