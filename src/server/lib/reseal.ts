/**
 * Re-encryption after a key rotation: each module that stores encrypted values exports a batch
 * function over its own tables (rows in id order after a cursor), built from these helpers; the
 * privacy module runs them one after another and records the cursor, so a rotation resumes where
 * it stopped.
 */
import type { Cipher } from './crypto.ts';

/** What one batch did: the last id seen (the next cursor; null when there were no rows). */
export type ResealBatch = { last: string | null; scanned: number; resealed: number };

/** The value sealed with the current key, or undefined when it already is (or is empty). */
export function resealValue(cipher: Cipher, v: string | null): string | undefined {
  return v ? (cipher.reseal(v) ?? undefined) : undefined;
}

/** A JSON text whose sealed values (`{ "enc": … }`, anywhere) are resealed, or undefined when none changed. */
export function resealJson(cipher: Cipher, json: string): string | undefined {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const enc = (v as { enc?: unknown }).enc;
    if (typeof enc === 'string' && Object.keys(v).length === 1) {
      const next = cipher.reseal(enc);
      if (next === null) return v;
      changed = true;
      return { enc: next };
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  const out = walk(JSON.parse(json));
  return changed ? JSON.stringify(out) : undefined;
}

/**
 * Reseals the given columns of a batch of rows: `update(id, set, was)` for each row with something
 * resealed, where `was` holds the values read — the update must apply only while they are still
 * there (an edit in between wins; the next rotation run picks the row up again).
 */
export async function resealRows<R extends { id: string }>(
  cipher: Cipher,
  rows: R[],
  columns: { [K in keyof R]?: 'value' | 'json' },
  update: (id: string, set: Partial<R>, was: Partial<R>) => Promise<unknown>,
): Promise<ResealBatch> {
  let resealed = 0;
  for (const r of rows) {
    const set: Partial<R> = {};
    const was: Partial<R> = {};
    for (const [col, kind] of Object.entries(columns) as [keyof R, 'value' | 'json'][]) {
      const v = r[col] as unknown as string | null;
      const next = kind === 'json' ? (v ? resealJson(cipher, v) : undefined) : resealValue(cipher, v);
      if (next === undefined) continue;
      set[col] = next as R[keyof R];
      was[col] = r[col];
    }
    if (Object.keys(set).length) {
      await update(r.id, set, was);
      resealed++;
    }
  }
  return { last: rows.at(-1)?.id ?? null, scanned: rows.length, resealed };
}
