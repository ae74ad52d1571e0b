/**
 * BERT's WordPiece tokenizer, for transformer embedding models a merchant provides with their
 * `vocab.txt` (bge, text2vec, MiniLM and other BERT-family sentence models exported to ONNX):
 * lower case and accents stripped (uncased vocabularies), text split on white space and
 * punctuation with every Han character its own word, then each word split greedily into the
 * longest vocabulary pieces (`##` marks a piece inside a word; a word that cannot be split is
 * `[UNK]`), wrapped in `[CLS]` … `[SEP]` and cut at `maxTokens`.
 */
import { readFileSync } from 'node:fs';

export type WordPiece = { ids(text: string): number[]; size: number };

const isPunct = (c: string) => /[\p{P}\p{S}]/u.test(c);
const isHan = (c: string) => /\p{Script=Han}/u.test(c);

export function wordPieceFrom(
  vocab: readonly string[],
  opts: { lowerCase?: boolean; maxTokens?: number } = {},
): WordPiece {
  const lower = opts.lowerCase ?? true;
  const max = opts.maxTokens ?? 128;
  const id = new Map(vocab.map((t, i) => [t, i]));
  const special = (t: string) => {
    const v = id.get(t);
    if (v === undefined) throw new Error(`the vocabulary has no ${t}`);
    return v;
  };
  const unk = special('[UNK]');
  const cls = special('[CLS]');
  const sep = special('[SEP]');
  const words = (text: string): string[] => {
    let t = text.normalize('NFKC');
    if (lower)
      t = t
        .toLowerCase()
        .normalize('NFD')
        .replace(/\p{Mn}/gu, '');
    const out: string[] = [];
    let cur = '';
    const flush = () => {
      if (cur) out.push(cur);
      cur = '';
    };
    for (const c of t) {
      if (/\s/u.test(c)) flush();
      else if (isPunct(c) || isHan(c)) {
        flush();
        out.push(c);
      } else cur += c;
    }
    flush();
    return out;
  };
  const pieces = (w: string): number[] => {
    if (w.length > 100) return [unk];
    const out: number[] = [];
    const chars = [...w];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        found = id.get(sub);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [unk];
      out.push(found);
      start = end;
    }
    return out;
  };
  return {
    size: vocab.length,
    ids(text) {
      const body = words(text)
        .flatMap(pieces)
        .slice(0, max - 2);
      return [cls, ...body, sep];
    },
  };
}

/** The tokenizer of a `vocab.txt` (one token per line; the line number is its id). */
export function loadWordPiece(path: string, opts?: { lowerCase?: boolean; maxTokens?: number }): WordPiece {
  const vocab = readFileSync(path, 'utf8').split(/\r?\n/);
  while (vocab.length && vocab[vocab.length - 1] === '') vocab.pop();
  return wordPieceFrom(vocab, opts);
}
