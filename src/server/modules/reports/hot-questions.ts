/**
 * Hot questions: shoppers' first messages clustered onto the bot's knowledge entries (the bot's
 * own matcher: jieba words, Han unigrams and bigrams, BM25), and, where no entry matches, onto
 * the message's most telling jieba word. What is matched and clustered is the message without its
 * personal data and ids (`questionText`): an order number is not part of the question. Each cluster is labelled with readable text, never a
 * word stem: its knowledge entry's standard question, else its most representative real first
 * message (personal data masked). Each has its share, up to three real examples with personal
 * data masked, and its share in the previous period for the trend. Pure.
 */
import { Matcher, emptyLexicon, maskForLlm, normalize, placeholders, termsOf } from '../bot/index.ts';

export type Asked = { conversationId: string; at: number; text: string };
export type HotQuestion = {
  key: string;
  label: string;
  entryId: string | null;
  count: number;
  /** Percent of the period's first messages, two decimals. */
  share: number;
  previousShare: number | null;
  examples: string[];
  conversationIds: string[];
};

/** Phone numbers, e-mail addresses, long digit runs (order and ID numbers) masked in examples. */
export function maskPii(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => `${m[0]}***@${m.split('@')[1]}`)
    .replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`)
    .replace(/\d{6,}/g, (m) => `${m.slice(0, 2)}${'*'.repeat(m.length - 4)}${m.slice(-2)}`)
    .slice(0, 120);
}

const placeholderRun = new RegExp(Object.values(placeholders).join('|'), 'g');

/**
 * A first message as hot questions match and cluster it: e-mail addresses, ID numbers, phone
 * numbers, postal addresses, order numbers and other runs of five or more digits removed (the
 * bot's masking before an LLM, `maskForLlm`, with its placeholders dropped), white space
 * collapsed. Two messages that differ only by their order number are then the same question, and
 * the text is matched once however many shoppers sent it.
 */
export function questionText(text: string): string {
  return maskForLlm(text).replace(placeholderRun, ' ').replace(/\s+/g, ' ').trim();
}

const share = (n: number, total: number) => (total ? Math.round((n * 10_000) / total) / 100 : 0);

/** A message's cluster: a knowledge entry, or its candidate topic words (jieba: Han words of 2+ characters; English words of 4+ letters). */
export type Clusterer = (text: string) => { key: string; label: string; entryId: string } | { words: string[] } | null;

const questionWords = new Set([
  '什么',
  '哪里',
  '怎么',
  '为什么',
  '多少',
  '多久',
  '能不能',
  '可以',
  '是不是',
  '还是',
  '不行',
  '你好',
  '谢谢',
]);

/** English words of four letters or more that say nothing about the topic (English shoppers' messages). */
const englishFunctionWords = new Set(
  (
    'what when where which while whom whose with without your yours this that these those there their they them ' +
    'have does doing done been being were would could should shall will just into from about than then also ' +
    'please thanks thank hello dear help need want know like still yet some much many very more most here ' +
    'today tomorrow yesterday anyone someone something anything asap sorry okay cannot'
  ).split(' '),
);

/** The clustering function for a workspace's knowledge entries (built once per report). */
export function clustererOf(
  entries: readonly { id: string; question: string; similar: readonly string[] }[],
): Clusterer {
  // Built on the first message to cluster: indexing the entries segments their text (jieba's
  // dictionary loads then), which a period without shoppers' questions never needs.
  let matcher: Matcher | null | undefined;
  const matcherOf = () =>
    (matcher ??= entries.length
      ? new Matcher(entries.map((e) => ({ id: e.id, question: e.question, similar: e.similar })))
      : null);
  const lex = emptyLexicon();
  // Shoppers open with the same words again and again (你好, 在吗, 什么时候发货), and with the same
  // question around their own order number: each distinct question text is matched once per
  // report (the result depends on that text alone), and each distinct message masked once.
  const byText = new Map<string, ReturnType<Clusterer>>();
  const byQuestion = new Map<string, ReturnType<Clusterer>>();
  const remember = (m: Map<string, ReturnType<Clusterer>>, k: string, v: ReturnType<Clusterer>) => {
    if (m.size < 200_000) m.set(k, v);
  };
  return (text) => {
    const known = byText.get(text);
    if (known !== undefined) return known;
    const question = questionText(text);
    let found = question ? byQuestion.get(question) : null;
    if (found === undefined) {
      found = clusterOne(question);
      remember(byQuestion, question, found);
    }
    remember(byText, text, found);
    return found;
  };
  function clusterOne(trimmed: string): ReturnType<Clusterer> {
    const m = matcherOf();
    if (m) {
      const r = m.search(trimmed, { k: 1 });
      const top = r.candidates[0];
      if (top && r.band !== 'handoff') return { key: `kb:${top.id}`, label: top.question, entryId: top.id };
    }
    const words = termsOf(normalize(trimmed), lex).words.filter(
      (w) =>
        (/^\p{Script=Han}{2,}$/u.test(w) && !questionWords.has(w)) ||
        (/^[a-z]{4,}$/.test(w) && !englishFunctionWords.has(w)),
    );
    return words.length ? { words: [...new Set(words)] } : null;
  }
}

/** `words`: the message's topic words when no knowledge entry matched it. */
type Assigned = { key: string; label: string; entryId: string | null; words?: string[] };

/**
 * Messages that match no knowledge entry go to their most frequent topic word in the period (so
 * 退货地址在哪里 and 退货地址是什么 meet on 退货 or 地址, whichever more shoppers used); ties by
 * the word's first place in the message.
 */
function assign(items: readonly Asked[], cluster: Clusterer): (Assigned | null)[] {
  const raw = items.map((a) => cluster(a.text));
  const freq = new Map<string, number>();
  for (const r of raw) if (r && 'words' in r) for (const w of r.words) freq.set(w, (freq.get(w) ?? 0) + 1);
  return raw.map((r) => {
    if (!r) return null;
    if (!('words' in r)) return r;
    const word = r.words.reduce((a, b) => ((freq.get(b) ?? 0) > (freq.get(a) ?? 0) ? b : a));
    return { key: `w:${word}`, label: word, entryId: null, words: r.words };
  });
}

/**
 * The most representative message of a cluster without a knowledge entry: the one whose topic
 * words are, on average, the most shared within the cluster (so it says what most members say),
 * then the shorter, then the earlier; masked like the examples.
 */
function representative(items: readonly { text: string; words: readonly string[] }[]): string {
  const freq = new Map<string, number>();
  for (const i of items) for (const w of i.words) freq.set(w, (freq.get(w) ?? 0) + 1);
  const score = (i: (typeof items)[number]) =>
    i.words.reduce((sum, w) => sum + (freq.get(w) ?? 0), 0) / Math.max(1, i.words.length);
  let best = items[0]!;
  for (const i of items.slice(1)) {
    const d = score(i) - score(best);
    if (d > 1e-9 || (Math.abs(d) <= 1e-9 && i.text.trim().length < best.text.trim().length)) best = i;
  }
  return maskPii(best.text.trim().replace(/\s+/g, ' '));
}

export function hotQuestions(
  current: readonly Asked[],
  previous: readonly Asked[],
  cluster: Clusterer,
  top = 10,
): HotQuestion[] {
  const sorted = [...current].sort((x, y) => x.at - y.at || (x.conversationId < y.conversationId ? -1 : 1));
  const groups = new Map<string, { label: string; entryId: string | null; items: Asked[]; words: string[][] }>();
  assign(sorted, cluster).forEach((c, k) => {
    if (!c) return;
    const g = groups.get(c.key) ?? { label: c.label, entryId: c.entryId, items: [], words: [] };
    g.items.push(sorted[k]!);
    g.words.push(c.words ?? []);
    groups.set(c.key, g);
  });
  const before = new Map<string, number>();
  for (const c of assign(previous, cluster)) if (c) before.set(c.key, (before.get(c.key) ?? 0) + 1);
  return [...groups.entries()]
    .sort(([ka, a], [kb, b]) => b.items.length - a.items.length || (ka < kb ? -1 : 1))
    .slice(0, top)
    .map(([key, g]) => ({
      key,
      label: g.entryId ? g.label : representative(g.items.map((i, k) => ({ text: i.text, words: g.words[k]! }))),
      entryId: g.entryId,
      count: g.items.length,
      share: share(g.items.length, current.length),
      previousShare: previous.length ? share(before.get(key) ?? 0, previous.length) : null,
      // Three examples spread over the period (first, middle, last), not three copies of one burst.
      examples: [
        ...new Set([0, Math.floor((g.items.length - 1) / 2), g.items.length - 1].map((i) => maskPii(g.items[i]!.text))),
      ],
      conversationIds: g.items.map((i) => i.conversationId),
    }));
}
