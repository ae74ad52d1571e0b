/**
 * Error signatures: a log record's message and stack with what varies between occurrences taken
 * out (numbers, ids, hex, UUIDs, quoted values, e-mail addresses, times, line numbers), so the same
 * fault logged a thousand times is one signature with a count. Pure functions; also what is stored
 * (`log_records` never holds the raw message: it may carry personal data).
 */

const rules: [RegExp, string][] = [
  [/[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  // Quoted values: whatever they hold is data, not the message's shape.
  // One pattern, so the leftmost quote wins ('"' is one quoted value, not the start of "…").
  [/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`/g, '<str>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  // Kefu's ids (`usr_01JD…`: a prefix and 26 Crockford base32 characters) and similar prefixed ids.
  [/\b[a-z]{2,12}_(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{10,}\b/g, '<id>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Long hex runs with a digit and a letter (hashes, tokens, object ids); only digits is a number.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\b\d+(?:\.\d+)?\b/g, '<n>'],
];

/** The message with its variable parts replaced by placeholders, whitespace collapsed, at most 300 characters. */
export function normaliseMessage(message: string): string {
  let out = message;
  for (const [re, to] of rules) out = out.replace(re, to);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > 300 ? `${out.slice(0, 299)}…` : out;
}

/**
 * The top `n` frames of a V8 stack ("    at fn (/abs/path/src/x.ts:12:3)"), each as
 * "fn (src/x.ts)": the path from the project's `src/` or the package's `node_modules/…` on, no line
 * or column (they move with every release), anonymous frames as "<anonymous>".
 */
export function topFrames(stack: string | undefined | null, n = 3): string[] {
  if (!stack) return [];
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:(.+?) \((.+)\)|(.+))$/.exec(line);
    if (!m) continue;
    const fn = m[1] ?? '<anonymous>';
    const where = shortPath(m[2] ?? m[3] ?? '');
    frames.push(where ? `${fn} (${where})` : fn);
    if (frames.length >= n) break;
  }
  return frames;
}

function shortPath(location: string): string {
  let p = location.replace(/^file:\/\//, '').replace(/(?::\d+)+$/, '');
  const nm = p.lastIndexOf('node_modules/');
  const src = p.lastIndexOf('/src/');
  if (nm >= 0) p = p.slice(nm);
  else if (src >= 0) p = p.slice(src + 1);
  return p;
}

export type Signature = { type: string; message: string; frames: string[] };

/**
 * A pino record's signature: the error's type (or "log" without an error), its message joined to
 * the record's `msg`, and its top stack frames, normalised.
 */
export function signatureOf(record: {
  msg?: unknown;
  err?: { type?: unknown; message?: unknown; stack?: unknown } | null;
}): Signature {
  const err = record.err && typeof record.err === 'object' ? record.err : null;
  const parts = [typeof record.msg === 'string' ? record.msg : '', typeof err?.message === 'string' ? err.message : '']
    .filter(Boolean)
    // pino puts the error's message in msg when no message was given: once is enough.
    .filter((x, i, xs) => xs.indexOf(x) === i);
  return {
    type: typeof err?.type === 'string' ? err.type : 'log',
    message: normaliseMessage(parts.join(': ')),
    frames: topFrames(typeof err?.stack === 'string' ? err.stack : null),
  };
}

/** The grouping key of a signature. */
export const signatureKey = (s: Signature): string => `${s.type}\u0000${s.message}\u0000${s.frames.join('\u0000')}`;

/**
 * A SQL statement's shape: literals and placeholders replaced, lists of placeholders collapsed
 * (`in ($1, $2, $3)` and `in (?, ?)` are one shape), whitespace collapsed, at most 240 characters.
 */
export function sqlShape(statement: string): string {
  let out = statement
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  out = out.replace(/\(\s*\?(?:\s*,\s*\?)*\s*\)/g, '(?…)');
  // Multi-row inserts: `values (?…), (?…), …` is one shape.
  out = out.replace(/\(\?…\)(?:\s*,\s*\(\?…\))+/g, '(?…)');
  return out.length > 240 ? `${out.slice(0, 239)}…` : out;
}
