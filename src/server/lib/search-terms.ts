/**
 * Search terms for full-text indexes, the same for what is stored and what is asked: runs of
 * Chinese (and Japanese, Korean) characters become overlapping bigrams, so a two-character word
 * (发票) is one term and a longer one (退货地址 → 退货 货地 地址) a phrase of consecutive terms;
 * a lone CJK character stays itself. Other letters and digits form lowercased words (an order
 * number is one term). Punctuation and spaces separate terms. Pure: the SQLite trigger calls it
 * through a registered SQL function (db/sqlite-functions.ts), the query side directly.
 */
const cjkChar = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const runs = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;

export function searchTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(runs)) {
    const run = m[0];
    if (!cjkChar.test(run[0])) {
      out.push(run.toLowerCase());
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }
  return out;
}

/** The text an FTS5 (unicode61) column stores: the terms, space-separated, in order. */
export const termsText = (text: string | null): string | null => (text === null ? null : searchTerms(text).join(' '));

export type TextQuery = {
  /** Each whitespace-separated part of the query, trimmed (PostgreSQL matches each as a substring). */
  parts: string[];
  /** The FTS5 MATCH expression: one phrase per part, all required; the last ASCII word may be a prefix. */
  match: string;
};

/** Whether a part is only Han characters (what the bigram index serves on PostgreSQL). */
export const isHan = (part: string): boolean => /^\p{Script=Han}+$/u.test(part);

/**
 * A text search, or null when it has nothing to look for: every part needs two characters of
 * letters or digits (one Chinese character matches too much to be useful).
 */
export function textQuery(q: string): TextQuery | null {
  const parts = q.split(/\s+/).filter((p) => searchTerms(p).length > 0);
  if (!parts.length || parts.some((p) => [...p.replace(/[^\p{L}\p{N}]/gu, '')].length < 2)) return null;
  const phrases = parts.map((p, i) => {
    const terms = searchTerms(p);
    const last = terms[terms.length - 1];
    // Typing the start of an order number finds it: the last word of the query may be a prefix.
    const prefix = i === parts.length - 1 && /^[a-z0-9]{3,}$/.test(last) ? ' *' : '';
    return `"${terms.join(' ')}"${prefix}`;
  });
  return { parts, match: phrases.join(' AND ') };
}
