/**
 * `kefu report compute` as shipped: the real bin/kefu.js in a child process on a file, compared
 * exactly with figures computed by hand (docs/REPORTS.md), and a malformed file refused with a
 * non-zero status and the problem's path. October 2026 in +08:00, period [10-01 00:00, 11-01 00:00).
 *
 * conversation  created      first reply (s)    first resolution (s)  created in / resolved at end  agents   reopened  FCR
 * c1            10-02 09:00  u1 +30             +1200                 yes / yes                     u1       no        yes
 * c2            10-03 10:00  bot +5, u2 +120    +3600                 yes / yes                     u2, u3   no        no (2 agents)
 * c3            10-04 12:00  u1 +600            +1800 (again 10-05)   yes / yes (reopened, solved)  u1       yes       no
 * c4            10-05 20:00  u2 +10             -                     yes / no                      u2       -         -
 * c5            09-30 23:00  u1 +3900 (10-01)   +7200 (10-01 01:00)   no (September)                u1       no        yes
 * c6            10-31 23:50  u1 after the end   -                     yes / no                      -        -         -
 * c7            10-06 09:00  (no id) +60, u1    +600                  yes / yes                     ?, u1    no        no (2 agents)
 * c8            10-07 09:00  (no id) +20       +300                  yes / yes                     ?        no        yes (1 agent)
 * (an agent message without agentId counts as one unknown agent, distinct from every named one)
 *
 * FRT (first reply in the period): 10, 20, 30, 60, 120, 600, 3900 (n = 7) → p50 rank ⌈3.5⌉ = 4 → 60,
 *   p90 rank ⌈6.3⌉ = 7 → 3900.
 * Resolution (first resolution in the period): 300, 600, 1200, 1800, 3600, 7200 (n = 6) → p50 rank 3
 *   → 1200, p90 rank ⌈5.4⌉ = 6 → 7200.
 * Resolution rate: created in the period c1 c2 c3 c4 c6 c7 c8 = 7, resolved at the end c1 c2 c3 c7 c8
 *   = 5 → 5 / 7 = 71.43 %.
 * FCR: first resolved in the period c1 c2 c3 c5 c7 c8 = 6, of which c1 c5 c8 → 3 / 6 = 50.00 %.
 * CSAT: ratings in the period 5 (c1), 4 (c2), 1 (c3), 3 (no such conversation), 5 (c8); the ones
 *   at 09-30 and exactly at the end (11-01 00:00) do not count → 3 of 5 are 4 or 5 → 60.00 %.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, outputOf } from '../server/testing/cli.ts';

const kefu = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kefu-compute-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** A bound for a hang on a loaded machine (the process loads the server's TypeScript), not a goal. */
const processTimeout = 120_000;

const compute = (file: string) =>
  outputOf(
    spawn(process.execPath, [kefu, 'report', 'compute', '--input', file, '--json'], {
      cwd: dir,
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
const d = (local: string) => `2026-${local}+08:00`;
const msg = (at: string, from: string, agentId?: string) => ({ at: d(at), from, ...(agentId ? { agentId } : {}) });
const conv = (
  id: string,
  created: string,
  messages: object[],
  resolvedAt: string[] = [],
  reopenedAt: string[] = [],
) => ({
  id,
  createdAt: d(created),
  messages,
  resolvedAt: resolvedAt.map(d),
  reopenedAt: reopenedAt.map(d),
});

describe('the kefu binary: report compute', () => {
  it(
    'prints the hand-computed figures as JSON',
    async () => {
      writeFileSync(
        join(dir, 'october.json'),
        JSON.stringify({
          period: { start: d('10-01T00:00:00'), end: d('11-01T00:00:00') },
          conversations: [
            conv(
              'c1',
              '10-02T09:00:00',
              [msg('10-02T09:00:00', 'customer'), msg('10-02T09:00:30', 'agent', 'u1')],
              ['10-02T09:20:00'],
            ),
            conv(
              'c2',
              '10-03T10:00:00',
              [
                msg('10-03T10:00:00', 'customer'),
                msg('10-03T10:00:05', 'bot'),
                msg('10-03T10:02:00', 'agent', 'u2'),
                msg('10-03T10:05:00', 'agent', 'u3'),
              ],
              ['10-03T11:00:00'],
            ),
            conv(
              'c3',
              '10-04T12:00:00',
              [msg('10-04T12:00:00', 'customer'), msg('10-04T12:10:00', 'agent', 'u1')],
              ['10-04T12:30:00', '10-05T09:00:00'],
              ['10-05T08:00:00'],
            ),
            conv('c4', '10-05T20:00:00', [msg('10-05T20:00:00', 'customer'), msg('10-05T20:00:10', 'agent', 'u2')]),
            conv(
              'c5',
              '09-30T23:00:00',
              [msg('09-30T23:00:00', 'customer'), msg('10-01T00:05:00', 'agent', 'u1')],
              ['10-01T01:00:00'],
            ),
            conv('c6', '10-31T23:50:00', [msg('10-31T23:50:00', 'customer'), msg('11-01T00:10:00', 'agent', 'u1')]),
            conv(
              'c7',
              '10-06T09:00:00',
              [msg('10-06T09:00:00', 'customer'), msg('10-06T09:01:00', 'agent'), msg('10-06T09:03:00', 'agent', 'u1')],
              ['10-06T09:10:00'],
            ),
            conv(
              'c8',
              '10-07T09:00:00',
              [msg('10-07T09:00:00', 'customer'), msg('10-07T09:00:20', 'agent')],
              ['10-07T09:05:00'],
            ),
          ],
          ratings: [
            { conversationId: 'c1', score: 5, at: d('10-02T10:00:00') },
            { conversationId: 'c2', score: 4, at: d('10-03T12:00:00') },
            { conversationId: 'c3', score: 1, at: d('10-05T10:00:00') },
            { conversationId: 'gone', score: 3, at: d('10-10T10:00:00') },
            { conversationId: 'c8', score: 5, at: d('10-07T10:00:00') },
            { conversationId: 'c5', score: 5, at: d('09-30T23:30:00') },
            { conversationId: 'c4', score: 2, at: d('11-01T00:00:00') },
          ],
        }),
      );
      const r = await compute('october.json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        frt: { count: 7, p50: 60, p90: 3900 },
        resolution: { count: 6, p50: 1200, p90: 7200 },
        resolutionRate: 71.43,
        fcr: 50,
        csat: { count: 5, percent: 60 },
      });
    },
    processTimeout,
  );

  it(
    'refuses a malformed file with a non-zero status and the path of each problem',
    async () => {
      writeFileSync(join(dir, 'broken.json'), '{"period": {');
      writeFileSync(
        join(dir, 'wrong.json'),
        JSON.stringify({
          period: { start: d('10-01T00:00:00'), end: d('11-01T00:00:00') },
          conversations: [conv('c1', '10-02T09:00:00', [msg('10-02T09:00:00', 'shopper')])],
          ratings: [],
        }),
      );
      const [broken, wrong] = await Promise.all([compute('broken.json'), compute('wrong.json')]);
      for (const r of [broken, wrong]) {
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
      }
      expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
      expect(wrong.stderr).toMatch(/wrong\.json: conversations\[0\]\.messages\[0\]\.from: /);
    },
    processTimeout,
  );
});
