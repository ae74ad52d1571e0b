/**
 * `label_replace(v, dst, replacement, src, regex)` with Prometheus's semantics: for each element
 * whose `src` label (empty when missing) matches the anchored `regex`, `dst` is set to
 * `replacement` with `$1`, `${1}`, `$name`, `${name}` and `$$` expanded (removed when that comes
 * out empty); an element that does not match is left as it is. The metric name is kept.
 */
import { PromqlError } from './parse.ts';
import type { Labels } from '../store.ts';

type Sample = { labels: Labels; v: number };
/** The evaluated arguments (eval.ts's values; its types are not imported: eval.ts imports this file). */
type Arg = { t: 'vector'; v: Sample[] } | { t: 'scalar' | 'string' | 'matrix'; v: unknown };

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function labelReplace(fn: string, args: readonly Arg[]): { t: 'vector'; v: Sample[] } {
  const [v, ...rest] = args;
  if (!v || v.t !== 'vector') throw new PromqlError(`${fn} needs an instant vector`, 0);
  if (rest.length !== 4 || rest.some((a) => a.t !== 'string'))
    throw new PromqlError(`${fn} needs an instant vector and four strings`, 0);
  const [dst, replacement, src, regex] = rest.map((a) => String(a.v));
  if (!labelName.test(dst)) throw new PromqlError(`${fn}: invalid destination label name "${dst}"`, 0);
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${regex})$`, 's');
  } catch {
    throw new PromqlError(`${fn}: invalid regular expression "${regex}"`, 0);
  }
  const out: Sample[] = v.v.map((s) => {
    const m = re.exec(s.labels[src] ?? '');
    if (!m) return s;
    const value = replacement.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const ref = braced ?? bare!;
      return (/^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref]) ?? '';
    });
    const { [dst]: _, ...labels } = s.labels;
    return { labels: value ? { ...labels, [dst]: value } : labels, v: s.v };
  });
  return { t: 'vector', v: out };
}
