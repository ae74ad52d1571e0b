/**
 * Turning zod results into problems people can act on: one line per issue, prefixed with where
 * it is (`hours.mon[1]: …`), so an admin fixes a calendar or a policy file in one pass.
 */
import type { z } from 'zod';

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** `hours.mon[1]`-style path of a zod issue. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    '',
  );
}

/** Every problem with a zod result, one line each, prefixed with where it is. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = issuePath(i.path);
    // zod's "Unrecognized key" reads oddly to an admin fixing a JSON file.
    const message =
      i.code === 'unrecognized_keys'
        ? `unknown ${i.keys.length > 1 ? 'keys' : 'key'} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : i.message;
    return where ? `${where}: ${message}` : message;
  });
}

/** The parsed value with defaults filled in, or every problem found. */
export function validateWith<T>(schema: z.ZodType<T>, input: unknown): Validation<T> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: problemsOf(r.error) };
}
