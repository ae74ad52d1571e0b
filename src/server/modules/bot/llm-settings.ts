/**
 * The workspace's LLM settings (one row per workspace; the API key sealed with the installation's
 * cipher and never returned), the per-process record of the last call per workspace (the
 * console's status line and the `kefu_bot_llm_up` gauge) and the key rotation's batch.
 */
import { sql } from 'kysely';
import { Counter, Gauge } from 'prom-client';
import { BotLlmBody, llmTimeoutDefaultMs, type BotLlmStatus, type BotLlmView } from '../../../shared/bot-llm-api.ts';
import { moduleState, publish, unitOfWork, type Ctx, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import type { Cipher } from '../../lib/crypto.ts';
import { badRequest } from '../../lib/errors.ts';
import { parseAllowList, type AllowList } from '../../lib/outbound.ts';
import { resealRows, type ResealBatch } from '../../lib/reseal.ts';
import { refusedUrl } from '../../lib/outbound.ts';
import { askLlm, LlmFailure, type LlmConfig, type LlmFailureKind } from './llm.ts';
import { own } from './schema.ts';

type Options = { enabled: boolean; timeoutMs: number; phrase: boolean };
type Last = { ok: boolean; error: string | null; at: number; ms: number };
type State = {
  /** Decrypted settings per workspace, read at most every 15 s (null: none or off). */
  cache: Map<string, { cfg: LlmConfig | null; at: number }>;
  last: Map<string, Last>;
  requests: Counter<'outcome'> | null;
};
export const llmState = (s: Pick<Services, 'state'>) =>
  moduleState<State>(s, 'bot.llm', () => ({ cache: new Map(), last: new Map(), requests: null }));

const cacheMs = 15_000;
/** A workspace's failing LLM counts as down in the gauge for this long after its last call. */
const upWindowMs = 15 * 60_000;

export const allowListOf = (s: Pick<Services, 'config'>): AllowList => parseAllowList(s.config.outboundAllowList);

function optionsOf(json: string): Options {
  const o = JSON.parse(json) as Partial<Options>;
  return { enabled: !!o.enabled, timeoutMs: o.timeoutMs ?? llmTimeoutDefaultMs, phrase: !!o.phrase };
}

function statusOf(s: Pick<Services, 'state'>, ws: string): BotLlmStatus {
  const l = llmState(s).last.get(ws);
  return l
    ? { up: l.ok, lastError: l.error, lastAt: new Date(l.at).toISOString(), lastMs: l.ms }
    : { up: null, lastError: null, lastAt: null, lastMs: null };
}

export async function getLlmSettings(ctx: Ctx): Promise<BotLlmView> {
  const ws = ctx.actor.workspaceId;
  const r = await own(ctx.db)
    .selectFrom('bot_llm_settings')
    .selectAll()
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const o = r ? optionsOf(r.options) : { enabled: false, timeoutMs: llmTimeoutDefaultMs, phrase: false };
  return {
    configured: !!r,
    enabled: o.enabled,
    baseUrl: r?.base_url ?? '',
    model: r?.model ?? '',
    keySet: !!r?.api_key_enc,
    timeoutMs: o.timeoutMs,
    phrase: o.phrase,
    status: statusOf(ctx, ws),
  };
}

export async function saveLlmSettings(ctx: Ctx, input: BotLlmBody): Promise<BotLlmView> {
  const ws = ctx.actor.workspaceId;
  const refused = refusedUrl(input.baseUrl, allowListOf(ctx));
  if (refused) throw refused;
  const db = own(ctx.db);
  const current = await db.selectFrom('bot_llm_settings').selectAll().where('workspace_id', '=', ws).executeTakeFirst();
  const keyEnc =
    input.apiKey === null ? null : input.apiKey ? ctx.cipher.encrypt(input.apiKey) : (current?.api_key_enc ?? null);
  const row = {
    base_url: input.baseUrl.replace(/\/+$/, ''),
    model: input.model,
    api_key_enc: keyEnc,
    options: JSON.stringify({ enabled: input.enabled, timeoutMs: input.timeoutMs, phrase: input.phrase }),
    updated_at: ctx.clock.now().toISOString(),
  };
  await unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    if (current) await db.updateTable('bot_llm_settings').set(row).where('workspace_id', '=', ws).execute();
    else
      await db
        .insertInto('bot_llm_settings')
        .values({ workspace_id: ws, ...row })
        .execute();
    // The key is never part of the event (nor of the audit entry it becomes).
    await publish(ctx, 'bot.llm_saved', ws, 'workspace', ws, {
      enabled: input.enabled,
      baseUrl: row.base_url,
      model: input.model,
      keySet: !!keyEnc,
    });
  });
  llmState(ctx).cache.delete(ws);
  return getLlmSettings(ctx);
}

/** The workspace's LLM when one is configured and on (decrypted), else null. Other nodes see a change within 15 s. */
export async function llmConfigFor(
  s: Pick<Services, 'state' | 'cipher'> & { db: Executor },
  ws: string,
): Promise<LlmConfig | null> {
  const cache = llmState(s).cache;
  const hit = cache.get(ws);
  if (hit && Date.now() - hit.at < cacheMs) return hit.cfg;
  const r = await own(s.db)
    .selectFrom('bot_llm_settings')
    .selectAll()
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const o = r ? optionsOf(r.options) : null;
  const cfg =
    r && o?.enabled
      ? {
          baseUrl: r.base_url,
          model: r.model,
          apiKey: r.api_key_enc ? s.cipher.decrypt(r.api_key_enc) : null,
          timeoutMs: o.timeoutMs,
          phrase: o.phrase,
        }
      : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(ws, { cfg, at: Date.now() });
  return cfg;
}

/** Records a call's outcome (status line, gauge, counter). */
export function recordLlmCall(
  s: Pick<Services, 'state'>,
  ws: string,
  outcome: { ok: true } | { ok: false; kind: LlmFailureKind; error: string },
  ms: number,
) {
  const st = llmState(s);
  st.last.set(ws, { ok: outcome.ok, error: outcome.ok ? null : outcome.error, at: Date.now(), ms: Math.round(ms) });
  st.requests?.inc({ outcome: outcome.ok ? 'ok' : outcome.kind });
}

/** The console's "test" button: one small request with the saved settings (on or off). */
export async function testLlm(
  ctx: Ctx,
): Promise<{ ok: boolean; ms: number; error: string | null; choice: number | null }> {
  const ws = ctx.actor.workspaceId;
  const r = await own(ctx.db)
    .selectFrom('bot_llm_settings')
    .selectAll()
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  if (!r) throw badRequest('no LLM is configured');
  const o = optionsOf(r.options);
  const cfg: LlmConfig = {
    baseUrl: r.base_url,
    model: r.model,
    apiKey: r.api_key_enc ? ctx.cipher.decrypt(r.api_key_enc) : null,
    timeoutMs: o.timeoutMs,
    phrase: false,
  };
  const t0 = performance.now();
  try {
    const v = await askLlm(cfg, allowListOf(ctx), '运费怎么算？', [
      { question: '怎么申请退货', answer: '在「我的订单」中申请售后即可。' },
      { question: '运费怎么算', answer: '满 99 元包邮，不满收 10 元运费。' },
    ]);
    const ms = performance.now() - t0;
    recordLlmCall(ctx, ws, { ok: true }, ms);
    return { ok: true, ms: Math.round(ms), error: null, choice: v.choice };
  } catch (err) {
    const ms = performance.now() - t0;
    const f = err instanceof LlmFailure ? err : new LlmFailure('error', String(err));
    recordLlmCall(ctx, ws, { ok: false, kind: f.kind, error: f.message }, ms);
    return { ok: false, ms: Math.round(ms), error: f.message, choice: null };
  }
}

/** `kefu_bot_llm_up` and `kefu_bot_llm_requests_total`. */
export function llmMetrics(s: Services): void {
  const st = llmState(s);
  st.requests = new Counter({
    name: 'kefu_bot_llm_requests_total',
    help: 'Calls to workspaces’ LLM endpoints, by outcome (ok, timeout, error, garbage); a failure means the offline bot answered alone',
    labelNames: ['outcome'],
    registers: [s.metrics],
  });
  new Gauge({
    name: 'kefu_bot_llm_up',
    help: 'LLM reachability on this node: 0 when a workspace LLM called in the last 15 minutes failed its last call, else 1 (also when none was called)',
    registers: [s.metrics],
    collect() {
      // A label-less gauge always shows a value: with no recent call there is nothing failing.
      const recent = [...st.last.values()].filter((l) => Date.now() - l.at < upWindowMs);
      this.set(recent.every((l) => l.ok) ? 1 : 0);
    },
  });
}

/** Key rotation: the sealed API keys (one row per workspace: the workspace id is the cursor). */
export async function resealLlmSettings(
  s: Pick<Services, 'db' | 'cipher'>,
  after: string | null,
  limit: number,
): Promise<ResealBatch> {
  let q = own(s.db)
    .selectFrom('bot_llm_settings')
    .select([sql<string>`workspace_id`.as('id'), 'api_key_enc'])
    .orderBy('workspace_id')
    .limit(limit);
  if (after) q = q.where('workspace_id', '>', after);
  return resealRows(s.cipher as Cipher, await q.execute(), { api_key_enc: 'value' }, (id, set, was) =>
    own(s.db)
      .updateTable('bot_llm_settings')
      .set(set)
      .where('workspace_id', '=', id)
      .where('api_key_enc', '=', was.api_key_enc!)
      .execute(),
  );
}
