/**
 * The dense stream's model input: a message's terms (the engine's own: jieba words, Han unigrams
 * and bigrams, after normalising and synonyms) hashed into a fixed-size vector, L2-normalised.
 * A model maps it through learned weights to an embedding; the tests build such a model by hand.
 */
import { normalize, termsOf, type Lexicon, emptyLexicon } from '../engine/text.ts';

export type Stream = 'w' | 'u' | 'b';
const weight: Record<Stream, number> = { w: 1, b: 0.7, u: 0.3 };

/** FNV-1a of `stream:term`, modulo `size`. */
export function termBucket(stream: Stream, term: string, size: number): number {
  let h = 0x811c9dc5;
  const s = `${stream}:${term}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % size;
}

/** The hashed term vector of a text (all zeros when it has no terms). */
export function hashedFeatures(text: string, size: number, lexicon: Lexicon = emptyLexicon()): Float32Array {
  const v = new Float32Array(size);
  const t = termsOf(normalize(text), lexicon);
  for (const [stream, terms] of [
    ['w', t.words],
    ['u', t.uni],
    ['b', t.bi],
  ] as const)
    for (const term of terms) v[termBucket(stream, term, size)]! += weight[stream];
  return l2(v);
}

export function l2(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  if (n > 0) {
    const k = 1 / Math.sqrt(n);
    for (let i = 0; i < v.length; i++) v[i]! *= k;
  }
  return v;
}
