/**
 * The dense stream: every question of every entry embedded once per index build; a message's
 * embedding scored against them (an entry's score is its best question's cosine) and combined
 * with the offline engine's ranking. The combination (`fuseDense`): the engine's re-ranked
 * candidates weighted by a softmax of their re-rank scores, the dense scores by a softmax of
 * cosine / temperature over the same candidates plus the dense stream's own best entries, mixed
 * `1 - weight : weight` (defaults: 0.5, cosines at temperature 0.05, re-rank logits at 2; set by
 * hand, not calibrated: the eval has no model to measure them with). The engine's learned confidence knows nothing of the dense stream, so
 * when the mix puts another entry first the bot does not answer with it on its own: the band
 * becomes "suggest" (the shopper picks from the buttons), or stays "handoff" when that entry's
 * cosine is below `suggestCosine`. An LLM, when configured, may still confirm it (`assist.ts`).
 */
import type { Lexicon } from '../engine/text.ts';
import type { Candidate, Ranked } from '../engine/matcher.ts';
import type { Embedder } from './embedder.ts';

export type DenseEntry = { id: string; question: string; similar: readonly string[] };

export class DenseIndex {
  readonly embedder: Embedder;
  readonly lexicon: Lexicon | undefined;
  private readonly ids: readonly string[];
  /** Question q belongs to entry entryOf[q]. */
  private readonly entryOf: Int32Array;
  private readonly vectors: Float32Array[];

  private constructor(
    embedder: Embedder,
    lexicon: Lexicon | undefined,
    ids: readonly string[],
    entryOf: Int32Array,
    vectors: Float32Array[],
  ) {
    this.embedder = embedder;
    this.lexicon = lexicon;
    this.ids = ids;
    this.entryOf = entryOf;
    this.vectors = vectors;
  }

  static async build(embedder: Embedder, entries: readonly DenseEntry[], lexicon?: Lexicon): Promise<DenseIndex> {
    const texts: string[] = [];
    const entryOf: number[] = [];
    entries.forEach((e, i) => {
      for (const q of [e.question, ...e.similar]) {
        texts.push(q);
        entryOf.push(i);
      }
    });
    const vectors = await embedder.embed(texts, lexicon);
    return new DenseIndex(
      embedder,
      lexicon,
      entries.map((e) => e.id),
      Int32Array.from(entryOf),
      vectors,
    );
  }

  get questions(): number {
    return this.vectors.length;
  }

  /** Each entry's best cosine with the message (entries with no positive cosine left out). */
  async scores(text: string): Promise<Map<string, number>> {
    const [q] = await this.embedder.embed([text], this.lexicon);
    const out = new Map<string, number>();
    if (!q) return out;
    for (let d = 0; d < this.vectors.length; d++) {
      const v = this.vectors[d]!;
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += q[i]! * v[i]!;
      if (!(dot > 0)) continue;
      const id = this.ids[this.entryOf[d]!]!;
      if (dot > (out.get(id) ?? 0)) out.set(id, dot);
    }
    return out;
  }
}

export type FuseOptions = {
  /** Share of the dense stream in the mix. */
  weight?: number;
  /** Softmax temperature of the cosines. */
  temperature?: number;
  /** Softmax temperature of the engine's re-rank scores (logits: at 1 one candidate takes nearly all). */
  sparseTemperature?: number;
  /** The dense stream's best entries added to the engine's candidates. */
  extra?: number;
  /** Below this cosine a new first entry is not even suggested. */
  suggestCosine?: number;
};
export const denseDefaults = { weight: 0.5, temperature: 0.05, sparseTemperature: 2, extra: 3, suggestCosine: 0.5 };

const softmax = (xs: number[], t: number) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp((x - m) / t));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
};

/**
 * The engine's ranking combined with dense scores (see the module comment). `questionOf` names an
 * entry (for dense-only candidates); `allow` filters them as the engine's search did.
 */
export function fuseDense(
  ranked: Ranked,
  dense: ReadonlyMap<string, number>,
  questionOf: (id: string) => string | undefined,
  allow: (id: string) => boolean,
  opts: FuseOptions = {},
): Ranked & { dense: { changedTop: boolean; topCosine: number } } {
  const o = { ...denseDefaults, ...opts };
  const seen = new Set(ranked.candidates.map((c) => c.id));
  const extra = [...dense.entries()]
    .filter(([id]) => !seen.has(id) && allow(id))
    .sort((a, b) => b[1] - a[1])
    .slice(0, o.extra)
    .flatMap(([id]) => {
      const question = questionOf(id);
      return question === undefined
        ? []
        : [{ id, question, score: Number.NEGATIVE_INFINITY, features: [] as number[] }];
    });
  const all: Candidate[] = [...ranked.candidates, ...extra];
  if (!all.length) return { ...ranked, dense: { changedTop: false, topCosine: 0 } };
  const sparse = ranked.candidates.length
    ? softmax(
        ranked.candidates.map((c) => c.score),
        o.sparseTemperature,
      )
    : [];
  const cos = all.map((c) => dense.get(c.id) ?? 0);
  const dn = softmax(cos, o.temperature);
  const mixed = all.map((c, i) => ({
    c,
    cos: cos[i]!,
    s: (1 - o.weight) * (sparse[i] ?? 0) + o.weight * dn[i]!,
  }));
  mixed.sort((a, b) => b.s - a.s);
  const candidates = mixed.map(({ c, s }) => ({ ...c, score: s }));
  const changedTop = candidates[0]!.id !== ranked.candidates[0]?.id;
  const topCosine = mixed[0]!.cos;
  const band: Ranked['band'] = !changedTop
    ? ranked.band
    : topCosine >= o.suggestCosine || ranked.band !== 'handoff'
      ? 'suggest'
      : 'handoff';
  return {
    ...ranked,
    candidates: candidates.slice(0, Math.max(ranked.candidates.length, 1)),
    band,
    dense: { changedTop, topCosine },
  };
}
