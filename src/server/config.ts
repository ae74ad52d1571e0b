/**
 * Configuration: one zod schema. Precedence: CLI flag > KEFU_* environment variable >
 * config file (--config, KEFU_CONFIG, or ./kefu.config.json) > default. Every problem is
 * reported at once, naming where the bad value came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigTargets, InstallationRetention, resolveConfigSecrets } from '../shared/backups-api.ts';
import { mmdbProblem } from './lib/mmdb.ts';

export const processRoles = ['web', 'realtime', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof processRoles)[number];

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Which proxies to believe about the client's address. `true` (the old form) means one proxy in
 * front of Kefu, never "believe every X-Forwarded-For entry": that would let a client pick the
 * address that rate limits and the audit log see. Either a hop count or the proxies' addresses
 * (CIDRs, or proxy-addr's names loopback/linklocal/uniquelocal); the client is then the right-most
 * address not trusted.
 */
export type TrustProxy = false | number | string[];
const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(v: string): boolean {
  if (proxyNames.has(v)) return true;
  const [ip, bits, extra] = v.split('/');
  if (extra !== undefined || !isIP(ip)) return false;
  if (bits === undefined) return true;
  const max = isIP(ip) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}
const trustProxy = z.union([z.boolean(), z.number(), z.string()]).transform((v, ctx): TrustProxy => {
  const text = String(v).trim().toLowerCase();
  if (text === 'false' || text === '0' || text === '') return false;
  if (text === 'true') return 1;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops <= 20) return hops;
  }
  const list = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((x) => !isProxyAddress(x));
  if (bad.length || !list.length)
    ctx.addIssue({
      code: 'custom',
      message: `give a hop count (1–20) or the proxies' addresses/CIDRs, comma-separated; not understood: ${bad.join(', ') || text}`,
    });
  return list;
});

export const configSchema = z.strictObject({
  port: int(0, 65535).default(3000).describe('HTTP port'),
  host: z.string().default('0.0.0.0').describe('interface to listen on'),
  dataDir: z.string().default('./data').describe('data folder: SQLite file, attachments, secret key, backups'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL URL; embedded SQLite in the data folder when unset (also read from DATABASE_URL)'),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional()
    .describe('Redis URL for the cross-node bus (also REDIS_URL)'),
  redisPrefix: z
    .string()
    .regex(/^[\w:.-]{1,60}$/, 'letters, digits and _ : . - only')
    .default('kefu:')
    .describe(
      "prefix of Kefu's Redis channels and keys (bus, rate limits); nodes of one installation share it, two installations on one Redis differ",
    ),
  roles: z
    .string()
    .default(processRoles.join(','))
    .transform((s, ctx) => {
      const list = s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const bad = list.filter((r) => !(processRoles as readonly string[]).includes(r));
      if (bad.length || !list.length)
        ctx.addIssue({ code: 'custom', message: `unknown role(s) ${bad.join(', ')}; use ${processRoles.join(',')}` });
      return list as ProcessRole[];
    })
    .describe('process roles to run'),
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('log level'),
  secretKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
    .optional()
    .describe(
      'key for field encryption; generated into <dataDir>/secret.key when unset (set it on multi-node installs)',
    ),
  encryptionKeys: z
    .string()
    .regex(
      /^\s*\d{1,6}:[0-9a-f]{64}\s*(,\s*\d{1,6}:[0-9a-f]{64}\s*)*$/i,
      'must be version:64-hex pairs separated by commas, e.g. 2:ab12…',
    )
    .optional()
    .describe(
      'further field-encryption keys after a rotation, as version:hex pairs (2:…,3:…); secretKey is version 1. Without it, <dataDir>/keyring holds them (kefu keys rotate writes it)',
    ),
  encryptionVersion: int(1, 999999)
    .optional()
    .describe(
      'the key version new values are sealed with (default: the highest known); roll a new key out to every node before making it current',
    ),
  bodyLimit: int(1024, 100 * 1024 * 1024)
    .default(1024 * 1024)
    .describe('largest accepted request body, bytes'),
  adminEmail: z.email().default('admin@kefu.local').describe('e-mail of the administrator created on first start'),
  adminPassword: z
    .string()
    .min(10)
    .max(200)
    .optional()
    .describe('password of that administrator; printed once when generated'),
  readOnly: bool
    .default(false)
    .describe(
      'serve the data without changing it: no migrations, jobs, schedules or start-up work; write requests answer 503 read_only and the database refuses writes (a restore drill starts its sandbox so)',
    ),
  demo: bool.default(true).describe('create the demo workspace on an empty database (and serve the /demo shop page)'),
  slowRequestMs: int(1, 600_000)
    .default(1000)
    .describe('requests slower than this are logged as warnings (others at debug)'),
  assignOnReply: bool.default(true).describe("an agent's reply to an unassigned conversation assigns it to that agent"),
  demoData: bool
    .default(true)
    .describe("fill a newly created demo workspace with a shop's first week (agents, chats, tickets, customers)"),
  sessionTtlHours: int(1, 24 * 90)
    .default(12)
    .describe('idle lifetime of a console session'),
  sessionMaxHours: int(1, 24 * 365)
    .default(24 * 7)
    .describe('absolute lifetime of a console session, however active (sign in again after it)'),
  loginMaxFailures: int(1, 100).default(5).describe('failed sign-ins before the account is locked'),
  lockoutMinutes: int(1, 24 * 60)
    .default(15)
    .describe('how long a locked account stays locked'),
  loginRatePerMinute: int(1, 10000).default(20).describe('sign-in attempts per IP per minute'),
  trustProxy: trustProxy
    .default(false)
    .describe(
      'proxies in front of Kefu: a hop count, or their addresses/CIDRs (e.g. 10.0.0.0/8,loopback); the client is the right-most untrusted X-Forwarded-For address; true = 1 hop',
    ),
  secureCookies: bool
    .default(false)
    .describe('serve over HTTPS: Secure cookies (the session cookie becomes __Host-kefu_session), HSTS'),
  metricsToken: z
    .string()
    .min(16, 'at least 16 characters')
    .max(200)
    .optional()
    .describe('when set, GET /metrics needs Authorization: Bearer <this token>'),
  metricsPort: int(1, 65535)
    .optional()
    .describe('when set, /metrics is served only on this separate (internal) port, not on the public one'),
  widgetRatePerMinute: int(1, 100000).default(60).describe('widget sessions started per IP per minute'),
  offlineRatePerMinute: int(1, 100000).default(10).describe('offline messages left per IP per minute'),
  uploadRatePerMinute: int(1, 100000).default(20).describe('uploads per minute per uploader (shopper or agent)'),
  uploadIpRatePerMinute: int(1, 100000)
    .default(60)
    .describe("shoppers' uploads per minute per IP (many shoppers may share one address)"),
  uploadWorkspaceRatePerMinute: int(1, 1000000).default(300).describe('uploads per minute per workspace'),
  uploadQuotaMb: int(1, 100 * 1024 * 1024)
    .default(10 * 1024)
    .describe('storage for uploads per workspace, MiB; uploads beyond it are refused with 413 quota_exceeded'),
  uploadUnattachedHours: int(1, 24 * 90)
    .default(24)
    .describe('uploads never attached to a message are deleted after this many hours'),
  publicUrl: z
    .string()
    .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, 'must be an http(s) URL')
    .transform((u) => u.replace(/\/$/, ''))
    .optional()
    .describe('the URL shoppers reach Kefu at (embed snippet, links); default: the request origin'),
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .describe('SMTP server for notification e-mails, e.g. smtp://user:pass@mail.example.com:587; none sent when unset'),
  notifierTimeoutMs: int(100, 120_000)
    .default(10_000)
    .describe(
      'how long a notifier endpoint (robot, SMS gateway, webhook) may take to answer before the try counts as failed',
    ),
  mailFrom: z.string().min(3).max(200).default('Kefu <kefu@localhost>').describe('From: of e-mails Kefu sends'),
  workerPollMs: int(10, 60000).default(500).describe('how often an idle job worker polls'),
  chatQueueMessages: int(100, 1_000_000)
    .default(10_000)
    .describe('chat messages a node holds waiting for their commit; past it sends are refused with `busy` (retryable)'),
  chatQueueBytes: int(1 << 20, 1 << 30)
    .default(32 << 20)
    .describe('approximate memory those messages may take, bytes; past it sends are refused with `busy`'),
  backupKey: z
    .string()
    .min(32, 'at least 32 characters (`kefu backup key init` makes one)')
    .max(500)
    .optional()
    .describe(
      'the backup key (a generated key or a passphrase of 32+ characters); backups are off without it. Keep a copy away from this server',
    ),
  backupTimeZone: z
    .string()
    .refine((z) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: z });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone')
    .default('Asia/Shanghai')
    .describe("the time zone of backup schedules and of retention's days, weeks and months"),
  backupRetention: InstallationRetention.describe(
    'backups kept by default: {"onsite": {"daily": 7, "weekly": 4, "monthly": 12}, "offsite": {"daily": 0, "weekly": 0, "monthly": 12}}; a target may set its own in the console',
  ),
  backupTargets: ConfigTargets.describe(
    'backup targets defined here (local/sftp/s3, as in the console; a secret as {"env": "NAME"} reads the environment); read-only in the console',
  ),
  chatQueuePerConnection: int(1, 100_000)
    .default(200)
    .describe("one connection's messages waiting for their commit; past it its sends are refused with `busy`"),
  chatQueueDelayMs: int(10, 600_000)
    .default(2000)
    .describe(
      'how long a new chat message may wait for its commit (estimated from recent commits); past it sends are refused with `busy`',
    ),
  webhookRatePerMinute: int(1, 1_000_000)
    .default(600)
    .describe('incoming store webhooks (Shopify) per minute from one address; past it 429 (the sender retries)'),
  chatCommitPaceMs: int(0, 100)
    .default(0)
    .describe(
      'SQLite: the least time between two commits of chat messages while fewer than a full batch wait (a larger batch writes fewer pages per message; 0: commit at once)',
    ),
  chatFramesPerSecond: int(1, 1_000_000)
    .default(100)
    .describe('frames one /ws connection may send per second (bursts of 3 s allowed); past it it is closed with 4429'),
  chatMessagesPerSecond: int(1, 1_000_000)
    .default(20)
    .describe(
      'messages one sender (shopper or agent, all their connections on a node) may send per second (bursts of 10 s); past it `rate_limited`',
    ),
  monitoring: bool
    .default(true)
    .describe('sample this node into the series store (and, on the scheduler, run probes and rules)'),
  monitoringIntervalSeconds: int(1, 3600).default(15).describe('how often each node samples itself, seconds'),
  monitoringRawHours: int(1, 24 * 90)
    .default(48)
    .describe('raw monitoring samples kept, hours'),
  monitoringMinuteDays: int(1, 366).default(14).describe('1-minute monitoring rollups kept, days'),
  monitoringHourDays: int(1, 3660).default(400).describe('hourly monitoring rollups kept, days'),
  monitoringRemoteWriteUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'also send every monitoring sample by Prometheus remote-write to this URL (e.g. http://prometheus:9090/api/v1/write)',
    ),
  monitoringRemoteQueryUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'evaluate alert rules and dashboard queries through this Prometheus-compatible query API (e.g. http://prometheus:9090)',
    ),
  nodeName: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _ . : - only')
    .optional()
    .describe('this node in monitoring series (the `node` label); default host name and port'),
  geoipDatabase: z
    .string()
    .max(1000)
    .optional()
    .describe(
      "a local MaxMind GeoIP2/GeoLite2 City database (.mmdb path): shoppers' city in the agents' sidebar; nothing is downloaded",
    ),
  outboundAllowList: z
    .string()
    .default('')
    .describe(
      'hosts or CIDRs that URLs configured by workspaces (webhooks, notifiers, LLM, store APIs) may reach although private',
    ),
  botEmbeddingModel: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      "an ONNX embedding model file for the bot's dense stream (BERT-family with vocab.txt beside it, or hashed term vectors in; nothing is downloaded)",
    ),
  heartbeatUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "dead man's switch: a URL Kefu calls every heartbeatIntervalSeconds while it is healthy (e.g. an outside push monitor)",
    ),
  heartbeatIntervalSeconds: int(1, 3600).default(60).describe('how often the heartbeat URL is called, seconds'),
});
export type Config = z.output<typeof configSchema>;

/** This node in monitoring series and on /metrics (the `node` label): the configured name, else host name and port. */
export const nodeNameOf = (config: Pick<Config, 'nodeName' | 'port'>): string =>
  config.nodeName ?? `${hostname()}:${config.port}`;
export type ConfigInput = Partial<Record<keyof Config, unknown>>;

const keys = Object.keys(configSchema.shape) as (keyof Config)[];
export const envName = (k: string) => 'KEFU_' + k.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
const envAliases: Partial<Record<keyof Config, string>> = { databaseUrl: 'DATABASE_URL', redisUrl: 'REDIS_URL' };

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export type LoadOptions = { flags?: ConfigInput; env?: NodeJS.ProcessEnv; configFile?: string; cwd?: string };

/** Builds the configuration and where each value came from; throws ConfigError listing every problem. */
export function loadConfig(opts: LoadOptions = {}): { config: Config; sources: Record<string, string> } {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const problems: string[] = [];
  const merged: Record<string, unknown> = {};
  const sources: Record<string, string> = {};

  const explicitFile = opts.configFile ?? env.KEFU_CONFIG;
  const file = explicitFile ? resolve(cwd, explicitFile) : resolve(cwd, 'kefu.config.json');
  if (explicitFile || existsSync(file)) {
    try {
      const fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(fromFile)) {
        merged[k] = v;
        sources[k] = `config file ${file}`;
      }
    } catch (err) {
      problems.push(`config file ${file}: ${(err as Error).message}`);
    }
  }
  for (const k of keys) {
    for (const name of [envAliases[k], envName(k)]) {
      if (name && env[name] !== undefined && env[name] !== '') {
        merged[k] = env[name];
        sources[k] = `environment ${name}`;
      }
    }
  }
  for (const [k, v] of Object.entries(opts.flags ?? {})) {
    if (v !== undefined) {
      merged[k] = v;
      sources[k] = `flag --${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
    }
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys' && !issue.path.length) {
        // This issue sits on the object itself (empty path): name where each unknown key came from.
        const from = [...new Set(issue.keys.map((k) => sources[k]).filter(Boolean))];
        problems.push(`unknown setting(s) ${issue.keys.join(', ')}${from.length ? ` (from ${from.join(', ')})` : ''}`);
        continue;
      }
      const key = String(issue.path[0] ?? '');
      const where = sources[key] ? ` (from ${sources[key]})` : '';
      const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
      problems.push(`${issue.path.map(String).join('.')}: ${message}${where}`);
    }
  }
  if (parsed.success && parsed.data.geoipDatabase) {
    parsed.data.geoipDatabase = resolve(cwd, parsed.data.geoipDatabase);
    const p = mmdbProblem(parsed.data.geoipDatabase);
    if (p) problems.push(`geoipDatabase: ${p} (from ${sources.geoipDatabase})`);
  }
  if (parsed.success) problems.push(...resolveConfigSecrets(parsed.data.backupTargets, env));
  if (problems.length) throw new ConfigError(problems);
  const config = parsed.data!;
  config.dataDir = resolve(cwd, config.dataDir);
  return { config, sources };
}
