/** `kefu report compute` end to end on a temp file, in-process; expected values computed by hand. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { runCli } from './program.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    env: process.env,
    cwd: dir,
    out: (t) => void (out.stdout += t),
    err: (t) => void (out.stderr += t),
    exitCode: 0,
  };
  const { code } = await runCli(args, io);
  return { code, ...out };
}

describe('kefu report compute', () => {
  it('prints the figures as JSON', async () => {
    writeFileSync(
      join(dir, 'data.json'),
      JSON.stringify({
        period: { start: '2026-10-01T00:00:00+08:00', end: '2026-11-01T00:00:00+08:00' },
        conversations: [
          // FRT 45 s, resolved after 600 s, one agent → FCR
          {
            id: 'a',
            createdAt: '2026-10-03T10:00:00+08:00',
            messages: [
              { at: '2026-10-03T10:00:00+08:00', from: 'customer' },
              { at: '2026-10-03T10:00:45+08:00', from: 'agent', agentId: 'u1' },
            ],
            resolvedAt: ['2026-10-03T10:10:00+08:00'],
            reopenedAt: [],
          },
          // bot only, unresolved
          {
            id: 'b',
            createdAt: '2026-10-04T10:00:00+08:00',
            messages: [
              { at: '2026-10-04T10:00:00+08:00', from: 'customer' },
              { at: '2026-10-04T10:00:01+08:00', from: 'bot' },
            ],
            resolvedAt: [],
            reopenedAt: [],
          },
          // FRT 75 s, resolved after 3000 s, reopened → not FCR
          {
            id: 'c',
            createdAt: '2026-10-05T10:00:00+08:00',
            messages: [
              { at: '2026-10-05T10:00:00+08:00', from: 'customer' },
              { at: '2026-10-05T10:01:15+08:00', from: 'agent', agentId: 'u2' },
            ],
            resolvedAt: ['2026-10-05T10:50:00+08:00', '2026-10-07T10:00:00+08:00'],
            reopenedAt: ['2026-10-06T10:00:00+08:00'],
          },
        ],
        ratings: [
          { conversationId: 'a', score: 5, at: '2026-10-03T11:00:00+08:00' },
          { conversationId: 'c', score: 2, at: '2026-10-07T11:00:00+08:00' },
          { conversationId: 'x', score: 4, at: '2026-10-08T11:00:00+08:00' },
        ],
      }),
    );
    const r = await run(['report', 'compute', '--input', 'data.json', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      frt: { count: 2, p50: 45, p90: 75 },
      resolution: { count: 2, p50: 600, p90: 3000 },
      resolutionRate: 66.67,
      fcr: 50,
      csat: { count: 3, percent: 66.67 },
    });
    const text = await run(['report', 'compute', '--input', 'data.json']);
    expect(text.stdout).toMatch(/resolution rate\s+66\.67 %/);
  });

  it('refuses a bad file with every problem and exit status 2', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        period: { start: 'soon', end: '2026-11-01T00:00:00Z' },
        ratings: [{ conversationId: 'a', score: 0, at: 'x' }],
      }),
    );
    const r = await run(['report', 'compute', '--input', 'bad.json', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.json: ratings\[0\]\.score/);
    const missing = await run(['report', 'compute', '--input', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read/);
  });
});
