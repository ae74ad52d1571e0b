/**
 * `kefu sla compute` end to end on temp files: the command run in-process, and once as the real
 * binary (in a process with another time zone). Expected values are computed by hand (comments
 * show the arithmetic); the office calendar is Mon–Fri 09:00–12:00 and 13:30–18:00.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.ts';
import { runCli } from '../../../cli/program.ts';
import { nodeCacheEnv } from '../../testing/spawn.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kefu-sla-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const office = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const calendar = {
  timezone: 'Asia/Shanghai',
  hours: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] },
  holidays: 'CN',
  overrides: [{ date: '2025-10-11', hours: [['09:00', '18:00']] }],
};

let n = 0;
function file(content: string): string {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, content);
  return path;
}

const args = (files: { calendar: unknown; policy: unknown; events: string }, now: string, extra: string[]) => [
  'sla',
  'compute',
  '--calendar',
  file(JSON.stringify(files.calendar)),
  '--policy',
  file(JSON.stringify(files.policy)),
  '--events',
  file(files.events),
  '--now',
  now,
  ...extra,
];

/** The command in this process, on buffers (the CLI's own entry point). */
async function run(
  files: { calendar: unknown; policy: unknown; events: string },
  now: string,
  extra: string[] = ['--json'],
) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    env: process.env,
    cwd: root,
    out: (text) => void (out.stdout += text),
    err: (text) => void (out.stderr += text),
    exitCode: 0,
  };
  const { code } = await runCli(args(files, now, extra), io);
  return { code, ...out };
}

/** The real binary, in a process of its own (with its own environment). */
function runProcess(
  files: { calendar: unknown; policy: unknown; events: string },
  now: string,
  extra: string[],
  env: Record<string, string>,
) {
  const r = spawnSync(process.execPath, ['bin/kefu.js', ...args(files, now, extra)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...nodeCacheEnv(), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu sla compute', () => {
  it('National Day: created Tue Sep 30 17:45, answered Oct 9 09:05, customer follow-up 09:30', async () => {
    // first response 30: 15 on Sep 30, Oct 1–8 off, 15 on Oct 9 → 09:15; replied 09:05 → 15 + 5 = 20.
    // next response 60 from 09:30 → 10:30; at 10:00, 30 elapsed.
    // resolution 480: 15 (Sep 30) + 450 (Oct 9) → 15 on Fri Oct 10 → 09:15; at 10:00, 15 + 60 = 75.
    const events = [
      '{"at": "2025-09-30T17:45:00+08:00", "type": "created"}',
      '',
      '{"at": "2025-10-09T09:05:00+08:00", "type": "agent_reply"}',
      '{"at": "2025-10-09T09:30:00+08:00", "type": "customer_reply"}',
      '',
    ].join('\n');
    const policy = {
      targets: { firstResponse: 30, nextResponse: 60, resolution: 480 },
      businessHours: true,
      pauseStatuses: ['pending', 'on_hold'],
    };
    const r = await run({ calendar, policy, events }, '2025-10-09T10:00:00+08:00');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      targets: {
        firstResponse: {
          dueAt: '2025-10-09T09:15:00+08:00',
          fulfilledAt: '2025-10-09T09:05:00+08:00',
          breached: false,
          elapsedMinutes: 20,
          paused: false,
        },
        nextResponse: {
          dueAt: '2025-10-09T10:30:00+08:00',
          fulfilledAt: null,
          breached: false,
          elapsedMinutes: 30,
          paused: false,
        },
        resolution: {
          dueAt: '2025-10-10T09:15:00+08:00',
          fulfilledAt: null,
          breached: false,
          elapsedMinutes: 75,
          paused: false,
        },
      },
    });
  });

  // Fri Oct 10 16:00 created; first reply 16:40 (due 16:30: late); pending Fri 17:00 → Sat Oct 11
  // 10:00 (Sat is a make-up day, overridden to 09:00–18:00 without lunch); solved Sat 15:00.
  // Events are out of order and written in local time without an offset (= the calendar zone).
  const history = [
    '{"at": "2025-10-11T15:00", "type": "status", "status": "solved"}',
    '{"at": "2025-10-10T17:00", "type": "status", "status": "pending"}',
    '',
    '{"at": "2025-10-10T16:00", "type": "created"}',
    '{"at": "2025-10-11T10:00", "type": "status", "status": "open"}',
    '{"at": "2025-10-10T16:40", "type": "agent_reply"}',
  ].join('\n');
  const policy = { targets: { firstResponse: 30, resolution: 480 } };
  const firstResponse = {
    dueAt: '2025-10-10T16:30:00+08:00',
    fulfilledAt: '2025-10-10T16:40:00+08:00',
    breached: true,
    elapsedMinutes: 40,
    paused: false,
  };

  it('a pause across a night into a make-up Saturday, then solved', async () => {
    // resolution 480: 60 used Fri 16–17; paused (Fri 17–18 and Sat 09–10 in hours); 420 left from
    // Sat 10:00 → 17:00. Solved 15:00: elapsed 60 + 300 = 360, on time.
    const r = await run({ calendar, policy, events: history }, '2025-10-11T16:00:00+08:00');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      targets: {
        firstResponse,
        resolution: {
          dueAt: '2025-10-11T17:00:00+08:00',
          fulfilledAt: '2025-10-11T15:00:00+08:00',
          breached: false,
          elapsedMinutes: 360,
          paused: false,
        },
      },
    });
  });

  it('while paused (and whatever the process time zone is: a real process)', () => {
    // At Sat 09:30, still pending: 60 elapsed, 420 left, projected from now → 16:30.
    const r = runProcess({ calendar, policy, events: history }, '2025-10-11T09:30', ['--json'], {
      TZ: 'America/Los_Angeles',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).targets.resolution).toEqual({
      dueAt: '2025-10-11T16:30:00+08:00',
      fulfilledAt: null,
      breached: false,
      elapsedMinutes: 60,
      paused: true,
    });
  });

  it('prints a readable table without --json', async () => {
    const r = await run({ calendar, policy, events: history }, '2025-10-11T16:00:00+08:00', []);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^as of 2025-10-11T16:00:00\+08:00 \(Asia\/Shanghai, business hours\); ticket solved/);
    expect(r.stdout).toMatch(
      /firstResponse\s+2025-10-10T16:30:00\+08:00\s+2025-10-10T16:40:00\+08:00\s+40 min\s+10 min over\s+fulfilled late/,
    );
    expect(r.stdout).toMatch(
      /resolution\s+2025-10-11T17:00:00\+08:00\s+2025-10-11T15:00:00\+08:00\s+360 min\s+120 min\s+fulfilled/,
    );
  });

  it('lists every problem of invalid files and exits with 2', async () => {
    const r = await run(
      {
        calendar: {
          timezone: 'Asia/Shangai',
          hours: {
            mon: [
              ['09:00', '12:00'],
              ['11:00', '18:00'],
            ],
            tue: [['18:00', '09:00']],
          },
        },
        policy: { targets: { firstResponse: -5 }, pauseStatuses: ['on-hold'] },
        events:
          '{"at": "2025-10-09T09:00:00+08:00", "type": "created"}\n\n{"at": "soon", "type": "agent_reply"}\n{"at": "2025-10-09T10:00:00+08:00", "type": "status"}\nnot json\n',
      },
      'tomorrow',
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('kefu sla compute: invalid input');
    const text = r.stderr;
    expect(text).toContain('timezone: unknown time zone "Asia/Shangai"');
    expect(text).toContain('hours.mon: 09:00–12:00 overlaps 11:00–18:00');
    expect(text).toContain('hours.tue[0]: 18:00–09:00 must start before it ends');
    expect(text).toContain('targets.firstResponse: must be a positive number of minutes');
    expect(text).toContain('pauseStatuses[0]: unknown status "on-hold"');
    expect(text).toMatch(/line 3: at: "soon" is not an ISO-8601 date-time/);
    expect(text).toMatch(/line 4: status: a status event needs a status/);
    expect(text).toMatch(/line 5: not valid JSON/);
    expect(text).toContain('--now: "tomorrow" is not an ISO-8601 date-time');
  });

  it('refuses a history without a created event', async () => {
    const r = await run(
      { calendar, policy, events: '{"at": "2025-10-09T09:00:00+08:00", "type": "agent_reply"}\n' },
      '2025-10-09T10:00:00+08:00',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no "created" event/);
  });
});

describe('kefu sla compute --profile incident', () => {
  // A 7×24 calendar; National Day does not matter around the clock.
  const day = [['00:00', '24:00']];
  const allDay = {
    timezone: 'Asia/Shanghai',
    hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
  };
  const policy = { targets: { respond: 15, resolve: 240 } };
  const events = [
    '{"at": "2025-10-01T02:00", "type": "declared"}',
    '{"at": "2025-10-01T02:20", "type": "status", "status": "acknowledged"}',
    '{"at": "2025-10-01T03:00", "type": "status", "status": "mitigated"}',
    '{"at": "2025-10-01T05:30", "type": "status", "status": "resolved"}',
  ].join('\n');

  it('measures respond (declared → acknowledged) and resolve (declared → resolved) in elapsed time', async () => {
    // respond 15 → due 02:15, acknowledged 02:20: 20 min, late. resolve 240 → due 06:00, resolved
    // 05:30: 210 min, on time (mitigated does not stop it).
    const r = await run({ calendar: allDay, policy, events }, '2025-10-01T08:00', ['--json', '--profile', 'incident']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      targets: {
        respond: {
          dueAt: '2025-10-01T02:15:00+08:00',
          fulfilledAt: '2025-10-01T02:20:00+08:00',
          breached: true,
          elapsedMinutes: 20,
          paused: false,
        },
        resolve: {
          dueAt: '2025-10-01T06:00:00+08:00',
          fulfilledAt: '2025-10-01T05:30:00+08:00',
          breached: false,
          elapsedMinutes: 210,
          paused: false,
        },
      },
    });
  });

  it('prints the table with the incident state', async () => {
    const r = await run({ calendar: allDay, policy, events }, '2025-10-01T04:00', ['--profile', 'incident']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^as of 2025-10-01T04:00:00\+08:00 \(Asia\/Shanghai, calendar time\); incident mitigated/);
    expect(r.stdout).toMatch(/resolve\s+2025-10-01T06:00:00\+08:00\s+-\s+120 min\s+120 min\s+running/);
  });

  it("checks the files against the incident profile's policy and events", async () => {
    const r = await run(
      {
        calendar: allDay,
        policy: { targets: { firstResponse: 30 } },
        events: '{"at": "2025-10-01T02:00", "type": "created"}\n{"at": "2025-10-01T02:10", "type": "status"}\n',
      },
      '2025-10-01T04:00',
      ['--json', '--profile', 'incident'],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('targets: unknown key "firstResponse"');
    expect(r.stderr).toMatch(/line 1: type: unknown event type "created" \(one of declared, status\)/);
    expect(r.stderr).toMatch(/line 2: status: a status event needs a status/);
  });

  it('refuses an unknown profile', async () => {
    const r = await run({ calendar: allDay, policy, events }, '2025-10-01T04:00', ['--profile', 'order']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/'order' is invalid\. Allowed choices are ticket, incident/);
  });
});
