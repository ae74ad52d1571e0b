/**
 * The installation's embedding model (`botEmbeddingModel`), loaded once per process on the first
 * index build that wants it, and each workspace's dense index built with its knowledge index. A
 * model that does not load is logged once and the bot runs without the dense stream (the gauge
 * `kefu_bot_dense_loaded` says 0); it is tried again after ten minutes.
 */
import { Gauge } from 'prom-client';
import { moduleState, type Services } from '../../../context.ts';
import type { Lexicon } from '../engine/text.ts';
import { loadOnnxEmbedder, type Embedder } from './embedder.ts';
import { DenseIndex, type DenseEntry } from './stream.ts';

type State = { path: string | null; embedder: Promise<Embedder> | null; failedAt: number; error: string | null };
const denseState = (s: Pick<Services, 'state'>) =>
  moduleState<State>(s, 'bot.dense', () => ({ path: null, embedder: null, failedAt: 0, error: null }));

const retryMs = 10 * 60_000;

async function embedderFor(s: Pick<Services, 'state' | 'config' | 'log'>): Promise<Embedder | null> {
  const path = s.config.botEmbeddingModel;
  if (!path) return null;
  const st = denseState(s);
  if (st.path !== path) Object.assign(st, { path, embedder: null, failedAt: 0, error: null });
  if (!st.embedder) {
    if (st.failedAt && Date.now() - st.failedAt < retryMs) return null;
    st.embedder = loadOnnxEmbedder(path);
    st.embedder.catch((err: unknown) => {
      st.embedder = null;
      st.failedAt = Date.now();
      st.error = err instanceof Error ? err.message : String(err);
      s.log.error({ err, path }, "the bot's embedding model did not load; the bot answers without the dense stream");
    });
  }
  return st.embedder.catch(() => null);
}

/** The workspace's dense index, or null when no model is configured or it does not load. */
export async function denseIndexFor(
  s: Pick<Services, 'state' | 'config' | 'log'>,
  entries: readonly DenseEntry[],
  lexicon?: Lexicon,
): Promise<DenseIndex | null> {
  const embedder = await embedderFor(s);
  if (!embedder || !entries.length) return null;
  try {
    return await DenseIndex.build(embedder, entries, lexicon);
  } catch (err) {
    s.log.error({ err }, 'embedding the knowledge base failed; the bot answers without the dense stream');
    return null;
  }
}

export function denseMetrics(s: Services): void {
  new Gauge({
    name: 'kefu_bot_dense_loaded',
    help: "1 when the bot's embedding model (botEmbeddingModel) is loaded in this process, 0 when configured but not loaded (no value: none configured)",
    registers: [s.metrics],
    async collect() {
      if (!s.config.botEmbeddingModel) return this.reset();
      const e = denseState(s).embedder;
      this.set(e ? ((await e.then(() => 1).catch(() => 0)) as number) : 0);
    },
  });
}
