/**
 * Keyset pagination: a page ends with a cursor holding the sort key of its last row (always ending
 * in a unique column), and the next page asks for rows strictly after it in the same order, which
 * an index in that order answers by reading one page's rows — at any depth and however many rows
 * arrive meanwhile (no skipped or repeated rows, unlike OFFSET).
 */
import { AppError } from './errors.ts';

export type CursorValue = string | number;

/** An opaque cursor (base64url JSON) for the client to send back unchanged. */
export const encodeCursor = (values: readonly CursorValue[]): string =>
  Buffer.from(JSON.stringify(values)).toString('base64url');

/** The values of a cursor this server wrote for the same order (`arity` values), or a 400. */
export function decodeCursor(text: string | undefined, arity: number): CursorValue[] | null {
  if (!text) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  if (
    !Array.isArray(values) ||
    values.length !== arity ||
    !values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  )
    throw new AppError(400, 'invalid_cursor', 'the cursor does not belong to this list; start from the first page');
  return values as CursorValue[];
}

/**
 * The first `limit` of several lists that are each sorted by `compare` (e.g. one index scan per
 * status, when one scan cannot return several statuses in one order).
 */
export function mergeSorted<T>(lists: readonly T[][], compare: (a: T, b: T) => number, limit: number): T[] {
  return lists.flat().sort(compare).slice(0, limit);
}

/** Compares two rows by the given keys (each ascending or descending), as ORDER BY would. */
export function byKeys<T>(keys: readonly { get: (row: T) => CursorValue; desc: boolean }[]) {
  return (a: T, b: T): number => {
    for (const k of keys) {
      const x = k.get(a);
      const y = k.get(b);
      if (x === y) continue;
      const lt = x < y ? -1 : 1;
      return k.desc ? -lt : lt;
    }
    return 0;
  };
}

export type HitPage<R> = { items: R[]; next: CursorValue | null };

/**
 * Pages through search hits that an index returns newest first (`fetch` gives up to `chunk` hits
 * strictly before a position), keeping those `accept` lets through (filters, one per object),
 * until a page is full. Each request examines at most `budget` hits: a rare filter over a common
 * word returns a shorter page and a cursor to continue, instead of a request that reads everything.
 */
export async function collectHits<H, R>(opts: {
  start: CursorValue | null;
  fetch: (before: CursorValue | null, chunk: number) => Promise<H[]>;
  posOf: (hit: H) => CursorValue;
  accept: (hits: H[]) => Promise<{ row: R; pos: CursorValue }[]>;
  limit: number;
  chunk?: number;
  budget?: number;
}): Promise<HitPage<R>> {
  // A first chunk near the page's size (a common word fills the page from it), doubling after.
  let chunk = opts.chunk ?? Math.min(200, 2 * (opts.limit + 1));
  const budget = opts.budget ?? 2000;
  const found: { row: R; pos: CursorValue }[] = [];
  let before = opts.start;
  let examined = 0;
  for (; ; chunk = opts.chunk ?? Math.min(chunk * 2, 400)) {
    const hits = await opts.fetch(before, chunk);
    if (!hits.length) return { items: found.map((f) => f.row), next: null };
    found.push(...(await opts.accept(hits)));
    if (found.length > opts.limit)
      return { items: found.slice(0, opts.limit).map((f) => f.row), next: found[opts.limit - 1].pos };
    before = opts.posOf(hits[hits.length - 1]);
    examined += hits.length;
    if (hits.length < chunk) return { items: found.map((f) => f.row), next: null };
    if (examined >= budget) return { items: found.map((f) => f.row), next: before };
  }
}
