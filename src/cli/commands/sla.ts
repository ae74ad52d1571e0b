import { Option, type Command } from 'commander';
import type { z } from 'zod';
import {
  computeClock,
  eventSchema,
  incidentEventSchema,
  incidentProfile,
  ticketProfile,
  validateIncidentPolicy,
  validatePolicy,
  type ClockEvent,
  type ClockPolicy,
  type ClockProfile,
  type ClockResult,
  type TargetClock,
} from '../../server/modules/sla/index.ts';
import { AppError } from '../../server/lib/errors.ts';
import {
  formatInZone,
  isValidTimeZone,
  parseInstant,
  validateCalendar,
  type Calendar,
} from '../../server/lib/time/index.ts';
import type { Validation } from '../../server/lib/validation.ts';
import type { CliIo } from '../io.ts';
import { readJson, readText, type Files } from '../input-files.ts';

/** What the command needs of a profile: the profile itself, and how its files are checked. */
type Kind = {
  profile: ClockProfile<string, string, string>;
  validatePolicy: (input: unknown) => Validation<ClockPolicy<string, string>>;
  eventSchema: z.ZodType<ClockEvent<string, string>>;
};

const kinds: Record<'ticket' | 'incident', Kind> = {
  ticket: { profile: ticketProfile, validatePolicy, eventSchema },
  incident: { profile: incidentProfile, validatePolicy: validateIncidentPolicy, eventSchema: incidentEventSchema },
};

type Options = {
  calendar: string;
  policy: string;
  events: string;
  now: string;
  json?: boolean;
  profile: keyof typeof kinds;
};

/** `kefu sla compute`: the server's clock engine on files; this file only parses and formats. */
export function slaCommands(program: Command, io: CliIo): void {
  program
    .command('sla')
    .description('SLA clocks')
    .command('compute')
    .description(
      'compute the SLA clocks of one ticket (or incident) from its calendar, policy and history, as the server does',
    )
    .requiredOption('--calendar <file>', 'working calendar (JSON)')
    .requiredOption('--policy <file>', 'SLA policy snapshot (JSON)')
    .requiredOption('--events <file>', 'ticket (or incident) history: one JSON event per line')
    .requiredOption(
      '--now <iso>',
      'compute as of this instant (ISO-8601; without an offset it is read in the calendar zone)',
    )
    .addOption(
      new Option('--profile <name>', 'whose clocks: ticket (targets firstResponse…) or incident (respond, resolve)')
        .choices(Object.keys(kinds))
        .default('ticket'),
    )
    .option('--json', 'print JSON: {"targets": {name: {dueAt, fulfilledAt, breached, elapsedMinutes, paused}}}')
    .action((o: Options) => {
      const kind = kinds[o.profile];
      const problems: string[] = [];
      const files = { problems, cwd: io.cwd };
      const calendar = readJson(o.calendar, files, (v) => validateCalendar(v));
      const policy = readJson(o.policy, files, kind.validatePolicy);
      const zone = calendar && isValidTimeZone(calendar.timezone) ? calendar.timezone : 'UTC';
      const events = readEvents(o.events, zone, kind, files);
      const now = parseInstant(o.now, zone);
      if (now === null) problems.push(`--now: ${JSON.stringify(o.now)} is not an ISO-8601 date-time`);
      if (problems.length || !calendar || !policy || !events || now === null) return fail(io, problems);
      let result: ClockResult;
      try {
        result = computeClock(events, policy, calendar, now, kind.profile);
      } catch (err) {
        if (err instanceof AppError) return fail(io, [err.message]);
        throw err;
      }
      io.out(
        (o.json
          ? JSON.stringify(toJson(result, calendar, kind.profile), null, 2)
          : table(result, calendar, policy, kind.profile)) + '\n',
      );
    });
}

function fail(io: CliIo, problems: string[]): void {
  io.err(`kefu sla compute: invalid input\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  io.exitCode = 2;
}

function readEvents(file: string, zone: string, kind: Kind, files: Files): ClockEvent<string, string>[] | null {
  const { problems } = files;
  const text = readText(file, files);
  if (text === null) return null;
  const before = problems.length;
  const events: ClockEvent<string, string>[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file} line ${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      problems.push(`${where}: not valid JSON (${(err as Error).message})`);
      return;
    }
    const r = kind.eventSchema.safeParse(raw);
    if (!r.success) {
      problems.push(
        ...r.error.issues.map((iss) => `${where}: ${iss.path.length ? `${iss.path.join('.')}: ` : ''}${iss.message}`),
      );
      return;
    }
    if (typeof r.data.at === 'string' && parseInstant(r.data.at, zone) === null) {
      problems.push(`${where}: at: ${JSON.stringify(r.data.at)} is not an ISO-8601 date-time`);
      return;
    }
    events.push(r.data);
  });
  const start = kind.profile.startEvent;
  if (problems.length === before && !events.some((e) => e.type === start))
    problems.push(`${file}: no "${start}" event`);
  return problems.length === before ? events : null;
}

const minutesOf = (ms: number) => Math.round(ms / 60) / 1000;

function toJson(result: ClockResult, calendar: Calendar, profile: Kind['profile']) {
  const fmt = (d: Date) => formatInZone(calendar.timezone, d.getTime());
  const targets: Record<string, unknown> = {};
  for (const { name } of profile.targets) {
    const c = result.targets[name];
    if (!c) continue;
    targets[name] = {
      dueAt: fmt(c.dueAt),
      fulfilledAt: c.fulfilledAt ? fmt(c.fulfilledAt) : null,
      breached: c.breached,
      elapsedMinutes: minutesOf(c.elapsedMs),
      paused: c.paused,
    };
  }
  return { targets };
}

function state(c: TargetClock): string {
  if (c.fulfilledAt) return c.breached ? 'fulfilled late' : 'fulfilled';
  if (c.breached) return c.paused ? 'breached, paused' : 'breached';
  if (c.paused) return 'paused';
  return c.warning ? 'at risk' : 'running';
}

function table(
  result: ClockResult,
  calendar: Calendar,
  policy: ClockPolicy<string, string>,
  profile: Kind['profile'],
): string {
  const fmt = (d: Date | null) => (d ? formatInZone(calendar.timezone, d.getTime()) : '-');
  const head = `as of ${fmt(result.now)} (${calendar.timezone}, ${policy.businessHours ? 'business hours' : 'calendar time'}); ${profile.name} ${result.status ?? `not ${profile.startEvent} yet`}`;
  const rows = [['target', 'due', 'fulfilled', 'elapsed', 'remaining', 'state']];
  for (const { name } of profile.targets) {
    const minutes = policy.targets[name];
    if (minutes === undefined) continue;
    const c = result.targets[name];
    if (!c) {
      rows.push([name, '-', '-', '-', `${minutes} min`, 'not started']);
      continue;
    }
    const label = c.cycle > 1 || c.earlierBreaches ? `${name} #${c.cycle}` : name;
    const remaining = c.remainingMs < 0 ? `${minutesOf(-c.remainingMs)} min over` : `${minutesOf(c.remainingMs)} min`;
    rows.push([
      label,
      fmt(c.dueAt),
      fmt(c.fulfilledAt),
      `${minutesOf(c.elapsedMs)} min`,
      remaining,
      state(c) + (c.earlierBreaches ? ` (${c.earlierBreaches} earlier cycle(s) breached)` : ''),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return [
    head,
    '',
    ...rows.map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    ),
  ].join('\n');
}
