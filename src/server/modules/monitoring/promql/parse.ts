/**
 * Parses Kefu's PromQL subset with `@prometheus-io/lezer-promql` (the grammar of Prometheus's own
 * UI) into a small AST. Anything outside the subset (docs/OPERATIONS.md, "Alert rules") is refused
 * with its position, so a rule that loads here also loads in Prometheus.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import type { Matcher } from '../store.ts';

export type Expr =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'sel'; name: string; matchers: Matcher[]; offset: number }
  | { t: 'range'; sel: Extract<Expr, { t: 'sel' }>; range: number }
  | { t: 'call'; fn: string; args: Expr[] }
  | { t: 'agg'; op: string; by: string[] | null; without: string[] | null; param: Expr | null; expr: Expr }
  | { t: 'bin'; op: string; lhs: Expr; rhs: Expr; bool: boolean; on: string[] | null; ignoring: string[] | null }
  | { t: 'neg'; expr: Expr };

export class PromqlError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at character ${position + 1})`);
    this.position = position;
  }
}

export const functions = new Set([
  'rate',
  'increase',
  'irate',
  'delta',
  'deriv',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'quantile_over_time',
  'absent',
  'absent_over_time',
  'predict_linear',
  'abs',
  'clamp_min',
  'clamp_max',
  'label_replace',
  'time',
  'vector',
  'scalar',
]);
export const aggregations = new Set(['sum', 'avg', 'min', 'max', 'count', 'quantile']);
const binaryOps: Record<string, string> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};
const matchOps: Record<string, Matcher['op']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

const durationUnits: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3600_000,
  d: 86400_000,
  w: 604800_000,
  y: 31536000_000,
};
function duration(text: string, at: number): number {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) throw new PromqlError(`not a duration: ${text}`, at);
  let ms = 0;
  for (const [, n, u] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(n) * durationUnits[u];
  return ms;
}

function unquote(text: string, at: number): string {
  const q = text[0];
  if (q === '`') return text.slice(1, -1);
  try {
    return JSON.parse(q === "'" ? `"${text.slice(1, -1).replace(/"/g, '\\"')}"` : text) as string;
  } catch {
    throw new PromqlError(`bad string ${text}`, at);
  }
}

const children = (n: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

export function parsePromql(text: string): Expr {
  if (!text.trim()) throw new PromqlError('empty expression', 0);
  if (text.length > 5000) throw new PromqlError('expression too long', 5000);
  const tree = parser.parse(text);
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) throw new PromqlError(`syntax error near "${text.slice(n.from, n.from + 20)}"`, n.from);
    },
  });
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const labels = (n: SyntaxNode | undefined): string[] =>
    n
      ? children(n)
          .filter((c) => c.name === 'LabelName')
          .map(src)
      : [];

  const selector = (n: SyntaxNode): Extract<Expr, { t: 'sel' }> => {
    let name = '';
    const matchers: Matcher[] = [];
    for (const c of children(n)) {
      if (c.name === 'Identifier') name = src(c);
      else if (c.name === 'LabelMatchers')
        for (const m of children(c)) {
          if (m.name !== 'UnquotedLabelMatcher')
            throw new PromqlError('quoted label names are not in the subset', m.from);
          const [ln, op, value] = children(m);
          const kind = op.firstChild?.name ?? '';
          matchers.push({ name: src(ln), op: matchOps[kind], value: unquote(src(value), value.from) });
        }
    }
    const nameMatcher = matchers.find((m) => m.name === '__name__');
    if (!name && nameMatcher?.op === '=') name = nameMatcher.value;
    if (!name) throw new PromqlError('a selector needs a metric name', n.from);
    for (const m of matchers)
      if (m.op === '=~' || m.op === '!~')
        try {
          new RegExp(m.value);
        } catch {
          throw new PromqlError(`bad regular expression ${m.value}`, n.from);
        }
    return { t: 'sel', name, matchers: matchers.filter((m) => m.name !== '__name__'), offset: 0 };
  };

  const walk = (n: SyntaxNode): Expr => {
    switch (n.name) {
      case 'PromQL':
        return walk(n.firstChild!);
      case 'ParenExpr':
        return walk(n.firstChild!);
      case 'NumberDurationLiteral': {
        const s = src(n).toLowerCase();
        const v = s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : Number(s);
        if (Number.isNaN(v) && s !== 'nan') return { t: 'num', v: duration(s, n.from) / 1000 };
        return { t: 'num', v };
      }
      case 'StringLiteral':
        return { t: 'str', v: unquote(src(n), n.from) };
      case 'VectorSelector':
        return selector(n);
      case 'MatrixSelector': {
        const [sel, range] = children(n);
        if (sel.name !== 'VectorSelector') throw new PromqlError('a range applies to a selector only', sel.from);
        return { t: 'range', sel: selector(sel), range: duration(src(range), range.from) };
      }
      case 'OffsetExpr': {
        const [inner, , d] = children(n);
        const e = walk(inner);
        const offset = duration(src(d), d.from);
        if (e.t === 'sel') return { ...e, offset };
        if (e.t === 'range') return { ...e, sel: { ...e.sel, offset } };
        throw new PromqlError('offset applies to a selector only', n.from);
      }
      case 'UnaryExpr': {
        const [op, inner] = children(n);
        return src(op) === '-' ? { t: 'neg', expr: walk(inner) } : walk(inner);
      }
      case 'FunctionCall': {
        const [id, body] = children(n);
        const fn = src(id);
        if (!functions.has(fn)) throw new PromqlError(`function ${fn} is not in Kefu's PromQL subset`, id.from);
        return { t: 'call', fn, args: children(body).map(walk) };
      }
      case 'AggregateExpr': {
        let op = '';
        let by: string[] | null = null;
        let without: string[] | null = null;
        let args: Expr[] = [];
        for (const c of children(n)) {
          if (c.name === 'AggregateOp') op = src(c);
          else if (c.name === 'AggregateModifier') {
            const [kind, grouping] = children(c);
            if (kind.name === 'By') by = labels(grouping);
            else without = labels(grouping);
          } else if (c.name === 'FunctionCallBody') args = children(c).map(walk);
        }
        if (!aggregations.has(op)) throw new PromqlError(`aggregation ${op} is not in Kefu's PromQL subset`, n.from);
        const expected = op === 'quantile' ? 2 : 1;
        if (args.length !== expected) throw new PromqlError(`${op} takes ${expected} argument(s)`, n.from);
        return { t: 'agg', op, by, without, param: expected === 2 ? args[0] : null, expr: args.at(-1)! };
      }
      case 'BinaryExpr': {
        const parts = children(n);
        const lhs = walk(parts[0]);
        const rhs = walk(parts.at(-1)!);
        const opNode = parts[1];
        const op = binaryOps[opNode.name];
        if (!op) throw new PromqlError(`operator ${src(opNode)} is not in the subset`, opNode.from);
        let bool = false;
        let on: string[] | null = null;
        let ignoring: string[] | null = null;
        for (const c of parts.slice(2, -1)) {
          if (c.name === 'BoolModifier') bool = true;
          else if (c.name === 'MatchingModifierClause') {
            const [kind, grouping, ...rest] = children(c);
            if (rest.some((r) => r.name === 'GroupLeft' || r.name === 'GroupRight'))
              throw new PromqlError('group_left / group_right are not in the subset', c.from);
            if (kind.name === 'On') on = labels(grouping);
            else ignoring = labels(grouping);
          }
        }
        return { t: 'bin', op, lhs, rhs, bool, on, ignoring };
      }
      default:
        throw new PromqlError(`${n.name} is not in Kefu's PromQL subset`, n.from);
    }
  };
  return walk(tree.topNode);
}

/** The metric names an expression reads (unknown-metric warnings, preloading). */
export function selectorsOf(e: Expr): Extract<Expr, { t: 'sel' }>[] {
  switch (e.t) {
    case 'sel':
      return [e];
    case 'range':
      return [e.sel];
    case 'call':
      return e.args.flatMap(selectorsOf);
    case 'agg':
      return [...(e.param ? selectorsOf(e.param) : []), ...selectorsOf(e.expr)];
    case 'bin':
      return [...selectorsOf(e.lhs), ...selectorsOf(e.rhs)];
    case 'neg':
      return selectorsOf(e.expr);
    default:
      return [];
  }
}
