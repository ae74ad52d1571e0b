/**
 * Parsing stored JSON settings (zod schemas) on every read is a measurable share of hot paths (the
 * routing benchmark's arrival read an inbox's settings and the routing rules several times each:
 * ~0.5 ms of CPU per arrival). The same stored text always parses to the same value, so the
 * result is memoised by the text itself: nothing to invalidate (a changed setting is a different
 * text), correct on any number of nodes. Results are deep-frozen because they are shared: a caller
 * that tried to change one would throw instead of changing every later reader's copy.
 */
export function memoParse<T>(parse: (text: string) => T, max = 500): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let v = cache.get(text);
    if (v === undefined) {
      v = deepFreeze(parse(text));
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(text, v);
    }
    return v;
  };
}

export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
