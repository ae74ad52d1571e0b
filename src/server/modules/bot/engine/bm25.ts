/** One BM25 field: an inverted index over documents' terms (k1 = 1.2, b = 0.75). */
export class Bm25 {
  /** Each term's documents, term frequencies and idf (the idf is fixed once the index is built). */
  private readonly postings = new Map<string, { doc: Int32Array; tf: Float32Array; idf: number }>();
  private readonly unknownIdf: number;
  private readonly lengths: Float32Array;
  private readonly avgdl: number;
  readonly n: number;
  static readonly k1 = 1.2;
  static readonly b = 0.75;

  constructor(docs: readonly (readonly string[])[]) {
    this.n = docs.length;
    this.lengths = new Float32Array(docs.length);
    const build = new Map<string, { doc: number[]; tf: number[] }>();
    let total = 0;
    docs.forEach((terms, d) => {
      this.lengths[d] = terms.length;
      total += terms.length;
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, c] of counts) {
        let p = build.get(t);
        if (!p) build.set(t, (p = { doc: [], tf: [] }));
        p.doc.push(d);
        p.tf.push(c);
      }
    });
    for (const [t, p] of build)
      this.postings.set(t, { doc: Int32Array.from(p.doc), tf: Float32Array.from(p.tf), idf: this.idfOf(p.doc.length) });
    this.unknownIdf = this.idfOf(0);
    this.avgdl = docs.length ? Math.max(1, total / docs.length) : 1;
  }

  df(term: string): number {
    return this.postings.get(term)?.doc.length ?? 0;
  }

  /** Robertson–Spärck Jones idf, never negative; an unknown term gets the highest idf. */
  idf(term: string): number {
    return this.postings.get(term)?.idf ?? this.unknownIdf;
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
  }

  /** The most a document can score for these terms: the denominator that makes scores comparable across queries. */
  bound(terms: readonly string[]): number {
    let s = 0;
    for (const t of new Set(terms)) s += this.idf(t) * (Bm25.k1 + 1);
    return s;
  }

  /**
   * Adds `scale` × each document's score for the query terms into `out`; documents seen for the
   * first time in this query (`mark[d] !== stamp`) are appended to `list`. Returns the list's new length.
   */
  score(
    terms: readonly string[],
    scale: number,
    out: Float64Array,
    mark: Int32Array,
    stamp: number,
    list: Int32Array,
    length: number,
  ): number {
    const { k1, b } = Bm25;
    let n = length;
    for (const t of new Set(terms)) {
      const p = this.postings.get(t);
      if (!p) continue;
      const w = p.idf * scale;
      const norm = (k1 * b) / this.avgdl;
      const base = k1 * (1 - b);
      for (let i = 0; i < p.doc.length; i++) {
        const d = p.doc[i]!;
        const tf = p.tf[i]!;
        if (mark[d] !== stamp) {
          mark[d] = stamp;
          out[d] = 0;
          list[n++] = d;
        }
        out[d] = out[d]! + (w * tf * (k1 + 1)) / (tf + base + norm * this.lengths[d]!);
      }
    }
    return n;
  }
}
