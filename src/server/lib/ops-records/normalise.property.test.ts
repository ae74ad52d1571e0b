/**
 * The signature normaliser: occurrences of one fault that differ only in their data (numbers, ids,
 * hex, UUIDs, quoted values, e-mail addresses, times, line numbers) get one signature; different
 * messages keep different ones; normalising twice changes nothing; no datum survives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../ids.ts';
import { normaliseMessage, signatureKey, signatureOf, sqlShape, topFrames } from './normalise.ts';

const classes = [
  fc.integer({ min: 0, max: 1e9 }).map(String),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => x.toFixed(3)),
  fc.uuid(),
  fc
    .string({ maxLength: 20 })
    .filter((s) => !/["\\\n]/.test(s))
    .map((s) => `"${s}"`),
  fc
    .string({ maxLength: 20 })
    .filter((s) => !/['\\\n]/.test(s))
    .map((s) => `'${s}'`),
  fc.integer({ min: 0x10, max: 0x7fffffff }).map((n) => `0x${n.toString(16)}`),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 12, maxLength: 40 }).map((h) => `${h}a7`),
  fc.emailAddress(),
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('usr', 'cnv', 'wsp', 'inc').map((p) => newId(p)),
];
const datum = fc.oneof(...classes);
/** Two data of one class (a position in a message holds one kind of datum). */
const twoOfAClass = fc.nat({ max: classes.length - 1 }).chain((k) => fc.tuple(classes[k]!, classes[k]!));

const templates = [
  (x: string) => `conversation ${x} could not be assigned`,
  (x: string) => `SMTP rejected the mail to ${x}: quota exceeded`,
  (x: string) => `probe ${x} timed out after ${x} ms`,
];

describe('normaliseMessage', () => {
  it('gives occurrences that differ only in their data one signature', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templates), twoOfAClass, (tpl, [a, b]) => {
        expect(normaliseMessage(tpl(a))).toBe(normaliseMessage(tpl(b)));
      }),
    );
  });

  it('removes every datum from the message', () => {
    fc.assert(
      fc.property(datum, (d) => {
        const out = normaliseMessage(`failed for ${d} now`);
        expect(out).toMatch(/^failed for <\w+> now$/);
      }),
    );
  });

  it('is idempotent and bounded', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (s) => {
        const once = normaliseMessage(s);
        expect(normaliseMessage(once)).toBe(once);
        expect(once.length).toBeLessThanOrEqual(300);
      }),
    );
  });

  it('keeps distinct messages apart', () => {
    const keys = new Set(templates.map((tpl) => normaliseMessage(tpl('42'))));
    expect(keys.size).toBe(templates.length);
    expect(normaliseMessage('disk full')).not.toBe(normaliseMessage('disk slow'));
  });
});

describe('topFrames and signatureOf', () => {
  const stack = (line: number, dir: string) =>
    [
      'TypeError: cannot read properties of undefined (reading "id")',
      `    at assign (${dir}/src/server/modules/routing/assign.ts:${line}:17)`,
      `    at async Router.route (${dir}/src/server/modules/routing/router.ts:${line + 40}:5)`,
      `    at processTicksAndRejections (node:internal/process/task_queues:95:5)`,
      `    at Object.handler (${dir}/node_modules/fastify/lib/route.js:12:3)`,
    ].join('\n');

  it('keeps the top three frames without paths outside the project, lines or columns', () => {
    expect(topFrames(stack(12, '/srv/kefu'))).toEqual([
      'assign (src/server/modules/routing/assign.ts)',
      'async Router.route (src/server/modules/routing/router.ts)',
      'processTicksAndRejections (node:internal/process/task_queues)',
    ]);
    expect(topFrames(null)).toEqual([]);
  });

  it('gives one key for one fault at other lines, in other folders, with other data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom('/srv/kefu', '/opt/app'),
        twoOfAClass,
        (line, dir, [d, e]) => {
          const a = signatureOf({
            msg: `assigning ${d}`,
            err: { type: 'TypeError', message: 'x', stack: stack(line, dir) },
          });
          const b = signatureOf({
            msg: `assigning ${e}`,
            err: { type: 'TypeError', message: 'x', stack: stack(3, '/srv/kefu') },
          });
          expect(signatureKey(a)).toBe(signatureKey(b));
        },
      ),
    );
  });

  it('tells apart other error types, other messages and other frames', () => {
    const base = { msg: 'job failed', err: { type: 'Error', message: 'boom', stack: stack(1, '/a') } };
    const k = signatureKey(signatureOf(base));
    expect(signatureKey(signatureOf({ ...base, err: { ...base.err, type: 'TypeError' } }))).not.toBe(k);
    expect(signatureKey(signatureOf({ ...base, msg: 'job retried' }))).not.toBe(k);
    expect(
      signatureKey(
        signatureOf({ ...base, err: { ...base.err, stack: stack(1, '/a').replace('assign.ts', 'queue.ts') } }),
      ),
    ).not.toBe(k);
    // A record without an error: its message alone; pino's copy of the error message is not doubled.
    expect(signatureOf({ msg: 'slow tick 812 ms' })).toEqual({ type: 'log', message: 'slow tick <n> ms', frames: [] });
    expect(signatureOf({ msg: 'boom', err: { type: 'Error', message: 'boom' } }).message).toBe('boom');
  });
});

describe('sqlShape', () => {
  it('makes statements that differ in literals and list lengths one shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), (m, n) => {
        const q = (k: number, style: 'pg' | 'sqlite') =>
          `select * from "messages" where "id" in (${Array.from({ length: k }, (_, i) => (style === 'pg' ? `$${i + 1}` : '?')).join(', ')}) limit ${k}`;
        expect(sqlShape(q(m, 'pg'))).toBe(sqlShape(q(n, 'sqlite')));
      }),
    );
    expect(sqlShape(`select 1 from t where a = 'x''y' and b = 3.5`)).toBe('select ? from t where a = ? and b = ?');
    expect(sqlShape('insert into t (a, b) values (?, ?), (?, ?), (?, ?)')).toBe(
      sqlShape('insert into t (a, b) values ($1, $2)'),
    );
    expect(sqlShape('select * from a')).not.toBe(sqlShape('select * from b'));
  });
});
