/**
 * HTTP and config-as-code schemas of monitoring: probes, alert rules in Prometheus's rule-file
 * shape, silences and maintenance windows. The same document is accepted by `kefu ops apply`
 * (YAML or JSON) and `PUT /api/ops/config`.
 */
import { z } from 'zod';

/** Prometheus durations: "15s", "5m", "1h30m", "500ms", "2d", "1w". */
const durationRe = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const units: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3600_000,
  d: 86400_000,
  w: 604800_000,
  y: 31536000_000,
};

export function parseDuration(text: string): number {
  if (!durationRe.test(text)) throw new Error(`not a duration: ${text} (use e.g. 15s, 5m, 1h30m)`);
  let ms = 0;
  for (const [, n, u] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(n) * units[u];
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const u of ['w', 'd', 'h', 'm', 's', 'ms']) {
    const n = Math.floor(rest / units[u]);
    if (n) {
      out += `${n}${u}`;
      rest -= n * units[u];
    }
  }
  return out;
}

export const Duration = z
  .string()
  .regex(durationRe, 'a duration such as 15s, 5m or 1h30m')
  .transform((v) => v);

const durationMs = (min: number, max: number, label: string) =>
  Duration.refine(
    (v) => parseDuration(v) >= min && parseDuration(v) <= max,
    `${label}: between ${formatDuration(min)} and ${formatDuration(max)}`,
  );

export const Name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}_.:-][\p{L}\p{N}_.: -]*$/u, 'letters, digits, spaces and _ . : - only');
export const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label name: letters, digits, _');
const Labels = z.record(LabelName, z.string().max(500));

const probeCommon = {
  name: Name,
  description: z.string().max(500).optional(),
  interval: durationMs(1000, 3600_000, 'interval').default('15s'),
  timeout: durationMs(100, 60_000, 'timeout').default('10s'),
  /** Failed checks in a row, beyond the first, before the probe counts as down (Uptime Kuma's retries). */
  retries: z.number().int().min(0).max(20).default(0),
  /** While down, notify again every N checks (0: once). */
  resendEvery: z.number().int().min(0).max(10_000).default(0),
  /** The component this probe watches (alerts on it carry `component`). */
  component: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .optional(),
  enabled: z.boolean().default(true),
};

const HttpUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const HttpProbe = z.strictObject({
  ...probeCommon,
  type: z.literal('http'),
  url: HttpUrl,
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS']).default('GET'),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(2000)).default({}),
  body: z.string().max(10_000).optional(),
  /** Accepted status codes; default 200–399. */
  expectStatus: z.array(z.number().int().min(100).max(599)).max(50).optional(),
  /** The body must contain this text. */
  keyword: z.string().min(1).max(500).optional(),
  /** A JSON path ($.a.b[0]) that must exist, or equal `jsonValue`. */
  jsonPath: z
    .string()
    .regex(/^\$(\.[A-Za-z_][\w-]*|\[\d+\])*$/, 'a JSON path such as $.status or $.items[0].ok')
    .optional(),
  jsonValue: z.string().max(500).optional(),
  /** Report on expired and self-signed certificates instead of failing the connection. */
  ignoreTls: z.boolean().default(false),
  /** PEM certificate(s) of a private CA to trust besides the system's (an intranet target). */
  ca: z
    .string()
    .max(20_000)
    .regex(
      /^\s*-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/,
      'PEM certificates (BEGIN CERTIFICATE)',
    )
    .optional(),
  maxRedirects: z.number().int().min(0).max(10).default(5),
});
export const TcpProbe = z.strictObject({
  ...probeCommon,
  type: z.literal('tcp'),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
});
export const DnsProbe = z.strictObject({
  ...probeCommon,
  type: z.literal('dns'),
  host: z.string().min(1).max(255),
  record: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS']).default('A'),
  /** One of the answers must equal this. */
  expect: z.string().max(500).optional(),
  /** The resolver to ask (an address, optionally :port); default the system's. */
  server: z.string().max(100).optional(),
});
export const PushProbe = z.strictObject({
  ...probeCommon,
  type: z.literal('push'),
  /** How often the outside job calls (up to a week), and the grace after it before down. */
  interval: durationMs(1000, 7 * 86400_000, 'interval').default('15s'),
  timeout: durationMs(0, 86400_000, 'timeout').default('10s'),
});
/** An SMTP server: its 220 banner and EHLO answer, optionally STARTTLS (and the certificate's expiry). */
export const SmtpProbe = z.strictObject({
  ...probeCommon,
  type: z.literal('smtp'),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(25),
  /** Upgrade with STARTTLS after EHLO (the server must offer it). */
  starttls: z.boolean().default(false),
  /** With STARTTLS: accept expired and self-signed certificates (the expiry is still reported). */
  ignoreTls: z.boolean().default(false),
  /** The name given in EHLO. */
  ehloName: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,255}$/)
    .default('kefu-probe'),
});
/** A Redis server: PING answers PONG (after AUTH when a password is given). */
export const RedisProbe = z.strictObject({
  ...probeCommon,
  type: z.literal('redis'),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(6379),
  password: z.string().min(1).max(500).optional(),
});
export const ProbeInput = z.discriminatedUnion('type', [
  HttpProbe,
  TcpProbe,
  DnsProbe,
  PushProbe,
  SmtpProbe,
  RedisProbe,
]);
export type ProbeInput = z.output<typeof ProbeInput>;

export const RuleInput = z.strictObject({
  alert: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'an alert name: letters, digits, _'),
  expr: z.string().min(1).max(5000),
  for: Duration.optional(),
  keep_firing_for: Duration.optional(),
  labels: Labels.optional(),
  annotations: z.record(LabelName, z.string().max(5000)).optional(),
});
export type RuleInput = z.output<typeof RuleInput>;

export const RuleGroupInput = z.strictObject({
  name: Name,
  interval: durationMs(1000, 3600_000, 'interval').optional(),
  rules: z.array(RuleInput).max(1000),
});
export type RuleGroupInput = z.output<typeof RuleGroupInput>;

const LabelMatcher = z.strictObject({
  name: LabelName,
  value: z.string().max(500),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});

export const SilenceInput = z
  .strictObject({
    name: Name,
    matchers: z.array(LabelMatcher).min(1).max(20),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    createdBy: z.string().min(1).max(200),
    comment: z.string().min(1).max(2000),
  })
  .refine((s) => !s.startsAt || s.startsAt < s.endsAt, {
    message: 'endsAt must come after startsAt',
    path: ['endsAt'],
  });
export type SilenceInput = z.output<typeof SilenceInput>;

export const MaintenanceInput = z.strictObject({
  name: Name,
  matchers: z.array(LabelMatcher).max(20).default([]),
  /** A one-off window … */
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  /** … or a recurring one: weekdays (1 = Monday … 7 = Sunday), a start time and a duration, in a time zone. */
  recurring: z
    .strictObject({
      weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
      duration: durationMs(60_000, 7 * 86400_000, 'duration'),
      timezone: z.string().min(1).max(64).default('Asia/Shanghai'),
    })
    .optional(),
});
export type MaintenanceInput = z.output<typeof MaintenanceInput>;

/** Alertmanager's inhibition: a firing source alert suppresses matching targets (with equal values of `equal`). */
export const InhibitRuleInput = z.strictObject({
  name: Name,
  source_matchers: z.array(LabelMatcher).min(1).max(20),
  target_matchers: z.array(LabelMatcher).min(1).max(20),
  equal: z.array(LabelName).max(20).default([]),
});
export type InhibitRuleInput = z.output<typeof InhibitRuleInput>;
export type LabelMatcher = z.output<typeof LabelMatcher>;

export const ComponentInput = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a component name: lower-case letters, digits, _'),
  title: z.string().min(1).max(100),
  titleEn: z.string().min(1).max(100).optional(),
  description: z.string().max(500).optional(),
  /** Workspace slugs that depend on it; omitted: every workspace. */
  workspaces: z.array(z.string().min(1).max(64)).max(1000).optional(),
});
export type ComponentInput = z.output<typeof ComponentInput>;

/** The config-as-code document (ops.yaml). */
export const OpsConfig = z.strictObject({
  components: z.array(ComponentInput).max(200).default([]),
  probes: z.array(ProbeInput).max(5000).default([]),
  groups: z.array(RuleGroupInput).max(500).default([]),
  silences: z.array(SilenceInput).max(1000).default([]),
  maintenance: z.array(MaintenanceInput).max(1000).default([]),
  inhibit_rules: z.array(InhibitRuleInput).max(200).default([]),
});
export type OpsConfig = z.output<typeof OpsConfig>;
export type OpsConfigInput = z.input<typeof OpsConfig>;

/**
 * What `kefu probe run` pushes from another machine (`POST /api/ops/probe-results`, with an API
 * token holding `installation.ops`): the runner's name and each check's result.
 */
export const ProbeResultsInput = z.strictObject({
  runner: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a runner name: letters, digits and _ . : -'),
  results: z
    .array(
      z.strictObject({
        probe: Name,
        component: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,62}$/)
          .optional(),
        at: z.iso.datetime({ offset: true }),
        ok: z.boolean(),
        durationMs: z.number().min(0).max(3_600_000),
        statusCode: z.number().int().min(0).max(999).optional(),
        certExpiresAt: z.number().nullable().optional(),
        error: z.string().max(300).optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type ProbeResultsInput = z.output<typeof ProbeResultsInput>;
