/**
 * One matcher per workspace, built from its knowledge base on first use and rebuilt after any
 * knowledge change: every node drops its copy when a `knowledge.*` event comes over the bus (and
 * after ten minutes at the latest). Each build calibrates itself on the base's own similar
 * questions, then on the shop's ratings and agents' corrections when there are enough.
 */
import { moduleState, type Services } from '../../context.ts';
import { eventsChannel, type DomainEvent } from '../../lib/events/index.ts';
import { formatInZone } from '../../lib/time/index.ts';
import type { Entry } from '../../../shared/knowledge-api.ts';
import { knowledgeBase } from '../knowledge/index.ts';
import { denseIndexFor } from './dense/service.ts';
import type { DenseIndex } from './dense/stream.ts';
import { selfCalibrate } from './engine/evaluate.ts';
import { Matcher } from './engine/matcher.ts';
import { lexiconOf, warmUp } from './engine/text.ts';
import { feedbackExamples } from './ratings.ts';
import { forgetUsesBot } from './settings.ts';

export type KbIndex = {
  matcher: Matcher;
  entries: Map<string, Entry>;
  builtAt: number;
  buildMs: number;
  /** Rated answers the build learned from (0: self-calibrated only). */
  feedback: number;
  /** The dense stream's index (null: no embedding model configured, or it did not load). */
  dense: DenseIndex | null;
};
type State = {
  indexes: Map<string, Promise<KbIndex>>;
  unsubscribe: (() => Promise<void>) | null;
  builds: number;
  failures: number;
  lastBuildMs: number;
};

const maxAgeMs = 10 * 60_000;
/** Rated answers a workspace needs before they retrain its bot. */
export const minFeedback = 20;

export const indexState = (s: Pick<Services, 'state'>) =>
  moduleState<State>(s, 'bot.indexes', () => ({
    indexes: new Map(),
    unsubscribe: null,
    builds: 0,
    failures: 0,
    lastBuildMs: 0,
  }));

/** Listens for knowledge changes on the bus (once per process). */
export async function watchKnowledge(s: Services): Promise<void> {
  const st = indexState(s);
  if (st.unsubscribe) return;
  st.unsubscribe = async () => {};
  st.unsubscribe = await s.bus.subscribe(eventsChannel, (msg) => {
    const e = msg as Partial<DomainEvent>;
    if (typeof e.type !== 'string' || typeof e.workspaceId !== 'string') return;
    if (e.type.startsWith('knowledge.')) st.indexes.delete(e.workspaceId);
    if (e.type === 'bot.settings_saved') forgetUsesBot(s, e.workspaceId);
  });
}

export async function stopWatching(s: Services): Promise<void> {
  const st = indexState(s);
  const u = st.unsubscribe;
  st.unsubscribe = null;
  st.indexes.clear();
  await u?.();
}

/** Drops a workspace's index (the next question rebuilds it); used by this node right after its own change. */
export const invalidate = (s: Services, workspaceId: string) => indexState(s).indexes.delete(workspaceId);

export async function buildIndex(s: Services, workspaceId: string): Promise<KbIndex> {
  const t0 = performance.now();
  warmUp();
  const { entries, terms } = await knowledgeBase(s, workspaceId);
  const lexicon = lexiconOf(terms);
  const matcher = new Matcher(
    entries.map((e) => ({ id: e.id, question: e.question, similar: e.similar, products: e.products })),
    lexicon,
  );
  selfCalibrate(matcher, lexicon);
  // The shop's own feedback (ratings and agents' corrections), once there is enough of it, retrains
  // the re-ranker, and its confirmed questions become learned questions; the confidence and the
  // threshold are refitted only when there are also answers that should not have been given
  // (corrections alone are all right answers: they cannot teach the bot where to stop).
  const feedback = await feedbackExamples(s, workspaceId);
  const ids = new Set(entries.map((e) => e.id));
  const known = feedback.filter((x) => x.label === null || ids.has(x.label));
  const learns = known.length >= minFeedback && known.some((x) => x.label);
  if (learns) {
    const negatives = known.some((x) => !x.label);
    const cal = matcher.train(known, 0.9, { confidence: negatives });
    // The confidence reads the re-ranker's scores: recalibrated on the base for the refitted one.
    if (!negatives) selfCalibrate(matcher, lexicon, 0.9, cal.rerank);
  }
  const dense = await denseIndexFor(s, entries, matcher.lexicon);
  const buildMs = performance.now() - t0;
  return {
    matcher,
    entries: new Map(entries.map((e) => [e.id, e])),
    builtAt: Date.now(),
    buildMs,
    feedback: learns ? known.length : 0,
    dense,
  };
}

export async function indexFor(s: Services, workspaceId: string): Promise<KbIndex> {
  const st = indexState(s);
  const cached = st.indexes.get(workspaceId);
  if (cached) {
    const idx = await cached.catch(() => null);
    if (idx && Date.now() - idx.builtAt < maxAgeMs) return idx;
    st.indexes.delete(workspaceId);
  }
  const p = buildIndex(s, workspaceId);
  st.indexes.set(workspaceId, p);
  try {
    const idx = await p;
    st.builds++;
    st.lastBuildMs = idx.buildMs;
    return idx;
  } catch (err) {
    st.failures++;
    st.indexes.delete(workspaceId);
    throw err;
  }
}

/**
 * Which entries may answer now on a channel: enabled, inside their validity window, for that
 * channel. A window's days are the workspace's (`timeZone`): a promotion valid from 12-01 starts at
 * midnight in the shop's zone, not at 08:00 in Shanghai (midnight UTC).
 */
export function entryFilter(now: Date, channel: string, timeZone: string): (e: Entry | undefined) => boolean {
  const iso = now.toISOString();
  let day = iso.slice(0, 10);
  try {
    day = formatInZone(timeZone, now.getTime()).slice(0, 10);
  } catch {
    // a zone Intl does not know: UTC days
  }
  return (e) => {
    if (!e || !e.enabled) return false;
    if (e.validFrom && (e.validFrom.length === 10 ? day < e.validFrom : iso < e.validFrom)) return false;
    if (e.validTo && (e.validTo.length === 10 ? day > e.validTo : iso > e.validTo)) return false;
    return !e.channels.length || e.channels.includes(channel);
  };
}
