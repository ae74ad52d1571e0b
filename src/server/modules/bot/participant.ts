/**
 * The bot as a conversation participant. Every node listens to the chat bus; for a shopper's text
 * message the first node to insert its `bot_turns` row (keyed by the message id) answers it, so
 * several nodes answer once. It writes through the conversations module's chat path (sender
 * `bot`), the same protocol agents use, and hands off by leaving the conversation unassigned in
 * the inbox with an internal note that summarises the intent, the order, what was asked and what
 * it answered. A failing bot hands the conversation to people instead of going silent.
 */
import { Counter, Gauge } from 'prom-client';
import type { Message } from '../../../shared/realtime/protocol.ts';
import { defaultBotSettings, type BotSettings } from '../../../shared/bot-api.ts';
import { answerClientIdPrefix, withButtons } from '../../../shared/bot-buttons.ts';
import { moduleState, publish, type Services } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import {
  chatChannel,
  commitMessage,
  getConversationRow,
  shopperContext,
  type ChatBusMessage,
} from '../conversations/index.ts';
import { findOrder, ordersOfCustomer } from '../store/index.ts';
import { workspaceLanguage, workspaceTimeZone } from '../workspaces/index.ts';
import { onAgentMessage } from './corrections.ts';
import { detectIntent } from './engine/intents.ts';
import { entryFilter, indexFor, indexState } from './knowledge-index.ts';
import { refinerFor } from './assist.ts';
import { handOffNote, handOffWords } from './messages.ts';
import { decide, languageOf, type Reply } from './reply.ts';
import { botGoesFirst, mayUseBot, outsideHours, storedSettings, workspaceUsesBot } from './settings.ts';
import { own } from './schema.ts';

type State = {
  unsubscribe: (() => Promise<void>) | null;
  inFlight: Set<Promise<void>>;
  /** Per conversation: its messages are answered in order. */
  chains: Map<string, Promise<void>>;
  turns: Counter<'outcome'> | null;
  errors: Counter | null;
};
export const botState = (s: Pick<Services, 'state'>) =>
  moduleState<State>(s, 'bot.participant', () => ({
    unsubscribe: null,
    inFlight: new Set(),
    chains: new Map(),
    turns: null,
    errors: null,
  }));

/** Messages older than this when they reach the bot are left to people. */
const staleMs = 120_000;

export const botName = { 'zh-CN': '智能助手', en: 'Assistant' };

export async function startBot(s: Services): Promise<void> {
  const st = botState(s);
  if (st.unsubscribe) return;
  st.unsubscribe = async () => {};
  st.unsubscribe = await s.bus.subscribe(chatChannel, (raw) => {
    const msg = raw as ChatBusMessage;
    if (msg?.k !== 'msg' || msg.m.kind !== 'text' || !mayUseBot(s, msg.ws)) return;
    // An agent's reply after a hand-off may be a correction the bot learns from (corrections.ts).
    if (msg.m.sender.type === 'agent') return void track(st, onAgentMessage(s, msg.ws, msg.m));
    if (msg.m.sender.type !== 'customer') return;
    const prev = st.chains.get(msg.m.conv) ?? Promise.resolve();
    const next = prev.then(() => onCustomerMessage(s, msg.ws, msg.m)).catch(() => {});
    st.chains.set(msg.m.conv, next);
    st.inFlight.add(next);
    void next.finally(() => {
      st.inFlight.delete(next);
      if (st.chains.get(msg.m.conv) === next) st.chains.delete(msg.m.conv);
    });
  });
}

function track(st: State, p: Promise<void>): void {
  st.inFlight.add(p);
  void p.finally(() => st.inFlight.delete(p));
}

export async function stopBot(s: Services): Promise<void> {
  const st = botState(s);
  const u = st.unsubscribe;
  st.unsubscribe = null;
  await u?.();
  await Promise.allSettled([...st.inFlight]);
}

/** Answers (or hands off) one shopper message; never throws. */
export async function onCustomerMessage(s: Services, ws: string, m: Message): Promise<void> {
  // Never answer the past: messages written with an earlier time (the demo's history, a replay
  // after an outage) are for people. Real time, not the services' clock (the demo seed rewinds it).
  if (Date.now() - Date.parse(m.at) > staleMs) return;
  let scripts: BotSettings['scripts'] | undefined; // the inbox's, for the hand-off if anything below fails
  try {
    if (!(await workspaceUsesBot(s, ws))) return;
    const conv = await getConversationRow(s, ws, m.conv);
    // The bot answers only in inboxes where an admin turned it on (the demo's inbox is, by its seed).
    const settings: BotSettings | null = await storedSettings(s, ws, conv.inbox_id);
    if (!settings?.enabled) return;
    scripts = settings.scripts;
    const idx = await indexFor(s, ws).catch(() => null);
    const now = s.clock.now();
    const claimed = await own(s.db)
      .insertInto('bot_turns')
      .values({
        message_id: m.id,
        workspace_id: ws,
        conversation_id: m.conv,
        query: m.body.slice(0, 2000),
        intent: null,
        entry_id: null,
        confidence: null,
        outcome: 'pending',
        reply_id: null,
        rating: null,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returning('message_id')
      .executeTakeFirst();
    if (!claimed) return; // another node has it
    const session = await own(s.db)
      .selectFrom('bot_sessions')
      .selectAll()
      .where('conversation_id', '=', m.conv)
      .executeTakeFirst();
    const silent = async () => void (await setOutcome(s, m.id, { outcome: 'silent' }));
    if (conv.assignee_id || session?.state === 'handed_off') return silent();
    // Its mode (and surge mode) decide whether it answers first; the same rule routing asks.
    if (!(await botGoesFirst(s, ws, conv.inbox_id, settings, now))) return silent();
    const lang = languageOf(m.body);
    if (!idx) throw new Error('the knowledge index could not be built');
    const allow = entryFilter(now, 'web', await workspaceTimeZone(s, ws));
    const reply = await decide({
      text: m.body,
      lang,
      scripts: settings.scripts[lang],
      session: { misses: session?.misses ?? 0, pending: session?.pending ?? null },
      matcher: idx.matcher,
      entries: idx.entries,
      allow,
      findOrder: (no) => findOrder(s, ws, no),
      recentOrders: () => ordersOfCustomer(s, ws, conv.customer_id, 3),
      givenOrderNo: async () => (await shopperContext(s, ws, conv.customer_id))?.orderNo ?? null,
      now,
      refine: refinerFor(s, ws, idx, allow),
    });
    // Out of the inbox's hours nobody takes the conversation now: the shopper is told so (the
    // out-of-hours script: leave a message) instead of "please hold on".
    const away = reply.handoff !== null && (await outsideHours(s, ws, conv.inbox_id, now));
    await respond(s, ws, m, away ? { ...reply, text: settings.scripts[lang].outOfHours } : reply, lang);
  } catch (err) {
    s.log.error({ err, conversationId: m.conv }, 'the bot failed on a message; handing the conversation to agents');
    botState(s).errors?.inc();
    await failSafe(s, ws, m, scripts).catch((e: unknown) =>
      s.log.error({ err: e }, 'bot hand-off after a failure failed'),
    );
  }
}

async function post(
  s: Services,
  ws: string,
  conv: string,
  cid: string,
  kind: 'text' | 'note',
  body: string,
  lang: 'zh-CN' | 'en',
  id = newId('msg'),
) {
  return commitMessage(s, {
    id,
    workspaceId: ws,
    conversationId: conv,
    clientId: cid,
    senderType: 'bot',
    senderId: 'bot',
    senderName: botName[lang],
    kind,
    body,
    attachments: [],
    createdAt: s.clock.now().toISOString(),
  });
}

async function setOutcome(
  s: Services,
  messageId: string,
  v: {
    outcome: string;
    intent?: string | null;
    entry_id?: string | null;
    confidence?: number | null;
    reply_id?: string | null;
  },
) {
  botState(s).turns?.inc({ outcome: v.outcome });
  await own(s.db).updateTable('bot_turns').set(v).where('message_id', '=', messageId).execute();
}

async function respond(s: Services, ws: string, m: Message, reply: Reply, lang: 'zh-CN' | 'en') {
  // Answers from the knowledge base carry a client id the widget recognises (it offers a rating).
  const cid = reply.outcome === 'answered' ? `${answerClientIdPrefix}${m.id}` : `bot-${m.id}`;
  // The turn knows its reply (and, for an answer, its entry) before the shopper can see and rate it;
  // the outcome still comes last and marks the turn done.
  const replyId = newId('msg');
  await own(s.db)
    .updateTable('bot_turns')
    .set({ reply_id: replyId, entry_id: reply.outcome === 'answered' ? reply.entryId : null })
    .where('message_id', '=', m.id)
    .execute();
  const ack = await post(s, ws, m.conv, cid, 'text', withButtons(reply.text, reply.buttons), lang, replyId);
  if (reply.handoff)
    await handOff(s, ws, m, {
      reason: reply.handoff,
      intent: reply.intent,
      orderNo: reply.orderNo,
      outcome: reply.outcome,
    });
  const now = s.clock.now().toISOString();
  const state = reply.handoff ? 'handed_off' : 'bot';
  const db = own(s.db);
  const r = await db
    .updateTable('bot_sessions')
    .set({ state, misses: reply.session.misses, pending: reply.session.pending, updated_at: now })
    .where('conversation_id', '=', m.conv)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0)
    await db
      .insertInto('bot_sessions')
      .values({
        conversation_id: m.conv,
        workspace_id: ws,
        state,
        misses: reply.session.misses,
        pending: reply.session.pending,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .execute();
  // Last: the turn's outcome marks it done (a resend recognised by the writer keeps the first id).
  await setOutcome(s, m.id, {
    outcome: reply.outcome,
    intent: reply.intent,
    entry_id: reply.entryId,
    confidence: reply.confidence,
    reply_id: ack.id,
  });
}

/** The internal note agents see, and the event; the conversation stays unassigned in the inbox. */
async function handOff(
  s: Services,
  ws: string,
  m: Message,
  why: { reason: string; intent: string | null; orderNo: string | null; outcome: string },
) {
  const { reason, intent, orderNo } = why;
  const earlier = await own(s.db)
    .selectFrom('bot_turns')
    .select(['query', 'outcome', 'entry_id'])
    .where('conversation_id', '=', m.conv)
    .where('message_id', '!=', m.id)
    .orderBy('created_at', 'desc')
    .limit(4)
    .execute();
  const turns = [{ query: m.body, outcome: why.outcome, entry_id: null as string | null }, ...earlier];
  const lang = await workspaceLanguage(s, ws);
  const outcomes = handOffWords[lang].outcomes;
  const idx = await indexFor(s, ws).catch(() => null);
  const asked = turns
    .reverse()
    .map((t) => {
      const q = t.query.length > 80 ? `${t.query.slice(0, 80)}…` : t.query;
      const answered =
        t.entry_id && t.outcome === 'answered'
          ? `「${idx?.entries.get(t.entry_id)?.question ?? t.entry_id}」`
          : (outcomes[t.outcome] ?? t.outcome);
      return `• ${q} → ${answered}`;
    })
    .join('\n');
  const order = orderNo ?? earlier.map((t) => detectIntent(t.query).orderNo).find((x) => x) ?? null;
  // Agents read the note: the workspace's language, whatever the shopper wrote in.
  const note = handOffNote(lang, { reason, intent, order, asked });
  await post(s, ws, m.conv, `bot-note-${m.id}`, 'note', note, lang);
  await publish(s, 'bot.handed_off', ws, 'conversation', m.conv, { reason, intent });
}

async function failSafe(s: Services, ws: string, m: Message, scripts = defaultBotSettings().scripts) {
  const lang = languageOf(m.body);
  await post(s, ws, m.conv, `bot-${m.id}`, 'text', scripts[lang].handoff, lang);
  await own(s.db)
    .insertInto('bot_sessions')
    .values({
      conversation_id: m.conv,
      workspace_id: ws,
      state: 'handed_off',
      misses: 0,
      pending: null,
      updated_at: s.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ state: 'handed_off' }))
    .execute();
  await handOff(s, ws, m, { reason: 'bot_error', intent: null, orderNo: null, outcome: 'failed' });
  await setOutcome(s, m.id, { outcome: 'failed' });
}

/** Gauges and counters: whether the bot listens, indexes loaded, turns by outcome, errors. */
export function botMetrics(s: Services): void {
  const st = botState(s);
  st.turns = new Counter({
    name: 'kefu_bot_turns_total',
    help: 'Shopper messages the bot handled, by outcome (answered, suggested, handed_off, order, script, missed, silent, failed)',
    labelNames: ['outcome'],
    registers: [s.metrics],
  });
  st.errors = new Counter({
    name: 'kefu_bot_errors_total',
    help: 'Bot failures (the conversation went to agents)',
    registers: [s.metrics],
  });
  new Gauge({
    name: 'kefu_bot_up',
    help: '1 when this node listens to chat and answers as the bot (0: bot offline on this node)',
    registers: [s.metrics],
    collect() {
      this.set(st.unsubscribe ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kefu_bot_indexes_loaded',
    help: 'Knowledge-base indexes loaded in this process',
    registers: [s.metrics],
    collect() {
      this.set(indexState(s).indexes.size);
    },
  });
  new Gauge({
    name: 'kefu_bot_index_build_failures',
    help: 'Knowledge-base index builds that failed in this process',
    registers: [s.metrics],
    collect() {
      this.set(indexState(s).failures);
    },
  });
}
