/**
 * Text to terms, offline and model-free: NFKC and lower case, traditional Chinese folded to
 * simplified (opencc-js), the workspace's synonyms rewritten to their term, then three streams —
 * words (jieba's dictionary segmentation, which ships in the npm package, plus the workspace's own
 * dictionary; English words lemmatised where irregular and stemmed; the concept terms of related
 * e-commerce words, `thesaurus.ts`), Han character unigrams, and Han bigrams with skip-bigrams.
 */
import { createRequire } from 'node:module';
import * as OpenCC from 'opencc-js';
import { stemmer } from 'stemmer';
import type { Jieba } from '@node-rs/jieba';
import { builtInConcepts, builtInSynonyms } from './thesaurus.ts';

/** Matching reads at most this much of a message (a 10,000-character paste costs what 400 characters do). */
export const maxMatchChars = 400;

let jieba: Jieba | null = null;
/** jieba loads its dictionary (~0.3 s) on first use; the bot warms it when its index is built. */
function segmenter(): Jieba {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba: J } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    jieba = J.withDict(dict);
  }
  return jieba;
}

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });
const han = /\p{Script=Han}/u;
const hanRun = /\p{Script=Han}+/gu;
const hasTraditionalCandidate = /[\u4e00-\u9fff]/;

/** Function words that carry no topic (Chinese and English). */
export const stopWords = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 哦 嗯 么 我 你 您 他 她 它 我们 你们 是 在 有 和 与 就 都 也 还 要 想 请问 请 一下 这个 那个 这 那 个 ' +
    '怎么办 一个 么 呗 哈 可 把 被 让 给 对 么 吗 嘛 啦 ' +
    'a an the i me my we our you your is are was were be been am do does did to of in on at for with and or it this that ' +
    'please can could would will should there here what how why when where which who whom hi'
  ).split(/\s+/),
);
/** Characters that alone say nothing: not indexed as unigrams. */
const stopChars = new Set(
  '的了吗呢吧啊呀哦嗯么我你您他她它是在有和就都也还要想请一这那个么呗哈把被让给对嘛啦'.split(''),
);

export type Lexicon = {
  /** Dictionary words (product and brand names, mined phrases), normalised. */
  words: string[];
  /** synonym → its term, normalised. */
  synonyms: Map<string, string>;
};
export const emptyLexicon = (): Lexicon => ({ words: [], synonyms: new Map() });

/** A lexicon from dictionary terms with their synonyms, on top of the built-in e-commerce synonyms. */
export function lexiconOf(terms: readonly { term: string; synonyms: readonly string[] }[], builtIn = true): Lexicon {
  const synonyms = new Map<string, string>();
  const words: string[] = [];
  const groups = [...(builtIn ? builtInSynonyms : []), ...terms.map((t) => [t.term, ...t.synonyms])];
  for (const [head, ...rest] of groups) {
    const h = normalize(head!);
    if (!h) continue;
    words.push(h);
    for (const x of rest) {
      const n = normalize(x);
      if (n && n !== h) synonyms.set(n, h);
    }
  }
  return { words: [...new Set(words)], synonyms };
}

export function normalize(text: string): string {
  let t = text
    .slice(0, maxMatchChars * 2)
    .normalize('NFKC')
    .toLowerCase();
  if (hasTraditionalCandidate.test(t)) t = toSimplified(t);
  return t.replace(/\s+/g, ' ').trim().slice(0, maxMatchChars);
}

/** Rewrites every synonym to its term, longest first (Han by substring, Latin by whole word). */
export function applySynonyms(text: string, lex: Lexicon): string {
  if (!lex.synonyms.size) return text;
  let out = text;
  const keys = [...lex.synonyms.keys()].sort((a, b) => b.length - a.length);
  for (const k of keys) {
    if (!out.includes(k)) continue;
    const term = lex.synonyms.get(k)!;
    if (han.test(k)) out = out.split(k).join(term);
    else
      out = out.replace(new RegExp(`(?<![a-z0-9])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`, 'g'), term);
  }
  return out;
}

export type Terms = { words: string[]; uni: string[]; bi: string[] };

/** Irregular English forms the stemmer leaves apart (shoppers' past tenses). */
const irregular = new Map(
  Object.entries({
    broke: 'break',
    broken: 'break',
    sent: 'send',
    bought: 'buy',
    paid: 'pay',
    got: 'get',
    gotten: 'get',
    came: 'come',
    lost: 'lose',
    took: 'take',
    taken: 'take',
    gave: 'give',
    given: 'give',
    made: 'make',
    chose: 'choose',
    chosen: 'choose',
    wore: 'wear',
    worn: 'wear',
    tore: 'tear',
    torn: 'tear',
    shrank: 'shrink',
    shrunk: 'shrink',
    went: 'go',
    gone: 'go',
    left: 'leave',
    forgot: 'forget',
    forgotten: 'forget',
  }),
);
const englishWord = (w: string) => stemmer(irregular.get(w) ?? w);

/** Concept lookups: single English words by stem, single Han characters by whole jieba word, phrases by substring. */
const concepts = (() => {
  const byWord = new Map<string, string[]>();
  const phrases: [string, string][] = [];
  for (const [head, ...rest] of builtInConcepts) {
    const c = `~${head}`;
    for (const k of [head!, ...rest]) {
      const hanKey = han.test(k);
      if (hanKey ? k.length === 1 : !k.includes(' ') && !k.includes("'")) {
        const key = hanKey ? k : englishWord(k);
        byWord.set(key, [...(byWord.get(key) ?? []), c]);
      } else phrases.push([hanKey ? k : ` ${k} `, c]);
    }
  }
  return { byWord, phrases };
})();

function addConcepts(text: string, words: string[]): void {
  const found = new Set<string>();
  for (const w of words) for (const c of concepts.byWord.get(w) ?? []) found.add(c);
  const spaced = ` ${text.replace(/[^\p{L}\p{N}']+/gu, ' ')} `;
  for (const [k, c] of concepts.phrases) if (spaced.includes(k)) found.add(c);
  for (const c of found) words.push(c);
}

const wordish = /[\p{L}\p{N}]/u;

/** The three term streams of a normalised text. */
export function termsOf(normalized: string, lex: Lexicon): Terms {
  const text = applySynonyms(normalized, lex);
  const words: string[] = [];
  for (const w of segmenter().cut(text, true)) {
    const x = w.trim();
    if (!x || !wordish.test(x) || stopWords.has(x)) continue;
    if (han.test(x)) words.push(x);
    else for (const part of x.split(/[^\p{L}\p{N}]+/u)) if (part && !stopWords.has(part)) words.push(englishWord(part));
  }
  for (const d of lex.words) if (d.length > 1 && text.includes(d) && !words.includes(d)) words.push(d);
  addConcepts(text, words);
  const uni: string[] = [];
  const bi: string[] = [];
  for (const [run] of text.matchAll(hanRun)) {
    for (let i = 0; i < run.length; i++) {
      if (!stopChars.has(run[i]!)) uni.push(run[i]!);
      if (i + 1 < run.length) bi.push(run.slice(i, i + 2));
      // Skip-bigrams (a character and the one after next) match across an inserted character:
      // 补差价 / 补我差价, 发出 / 发不出. Function characters are not paired.
      if (i + 2 < run.length && !stopChars.has(run[i]!) && !stopChars.has(run[i + 2]!))
        bi.push(`${run[i]!}_${run[i + 2]!}`);
    }
  }
  return { words, uni, bi };
}

/** Warms the segmenter (its dictionary loads once per process). */
export function warmUp(): void {
  segmenter().cut('你好', false);
}
