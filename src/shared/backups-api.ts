/** The backups console API (ops of the installation): targets, runs, the backups on a target. */
import { z } from 'zod';

export const targetKinds = ['local', 'sftp', 's3'] as const;
export type TargetKind = (typeof targetKinds)[number];

const name = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\w.-]+$/, 'letters, digits, _ . - only');

export const LocalSettings = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(500)
    .refine((p) => p.startsWith('/'), 'an absolute path'),
});
export const SftpSettings = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().min(1).max(100),
  path: z.string().min(1).max(500),
});
export const SftpSecrets = z.strictObject({
  password: z.string().max(500).optional(),
  privateKey: z.string().max(20_000).optional(),
});
export const S3Settings = z.strictObject({
  endpoint: z.url().max(500).optional(),
  region: z.string().min(1).max(50).default('us-east-1'),
  bucket: z.string().min(3).max(63),
  prefix: z.string().max(200).default(''),
  pathStyle: z.boolean().default(false),
  accessKeyId: z.string().min(1).max(200),
});
export const S3Secrets = z.strictObject({ secretAccessKey: z.string().min(1).max(500) });

/** How many backups each rule keeps (restic's `--keep-daily/weekly/monthly`; the newest is always kept). */
const keepCount = z.number().int().min(0).max(3650);
export const Retention = z
  .strictObject({ daily: keepCount, weekly: keepCount, monthly: keepCount })
  .refine((r) => r.daily + r.weekly + r.monthly > 0, 'keep at least one daily, weekly or monthly backup');
export type Retention = z.output<typeof Retention>;

/** The contract's defaults (§5): 7 daily, 4 weekly, 12 monthly; off-site targets keep 12 monthly. */
export const defaultRetention: { onsite: Retention; offsite: Retention } = {
  onsite: { daily: 7, weekly: 4, monthly: 12 },
  offsite: { daily: 0, weekly: 0, monthly: 12 },
};

/** The installation's retention (config `backupRetention`: an object in the file, JSON in the environment). */
export const InstallationRetention = z
  .preprocess(
    (v, ctx) => {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    },
    z.strictObject({ onsite: Retention.optional(), offsite: Retention.optional() }),
  )
  .transform((v) => ({ ...defaultRetention, ...v }))
  .default(defaultRetention);

export const TargetBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('local'),
    name,
    offsite: z.boolean().default(false),
    enabled: z.boolean().default(true),
    /** Null or left out: the installation's policy for on-site or off-site targets. */
    retention: Retention.nullable().default(null),
    settings: LocalSettings,
  }),
  z.strictObject({
    kind: z.literal('sftp'),
    name,
    offsite: z.boolean().default(false),
    enabled: z.boolean().default(true),
    /** Null or left out: the installation's policy for on-site or off-site targets. */
    retention: Retention.nullable().default(null),
    settings: SftpSettings,
    secrets: SftpSecrets.optional(),
  }),
  z.strictObject({
    kind: z.literal('s3'),
    name,
    offsite: z.boolean().default(false),
    enabled: z.boolean().default(true),
    /** Null or left out: the installation's policy for on-site or off-site targets. */
    retention: Retention.nullable().default(null),
    settings: S3Settings,
    secrets: S3Secrets.optional(),
  }),
]);
export type TargetBody = z.input<typeof TargetBody>;

export type BackupTarget = {
  id: string;
  name: string;
  kind: TargetKind;
  offsite: boolean;
  enabled: boolean;
  settings: Record<string, unknown>;
  /** Which secrets are stored (never their values). */
  secrets: string[];
  hostKey: string | null;
  /** Defined in the config file: read-only in the console. */
  fromConfig: boolean;
  /** The target's own retention, or null for the installation's. */
  retention: Retention | null;
  /** What applies: its own, or the installation's for its kind (on-site / off-site). */
  effectiveRetention: Retention;
  createdAt: string;
  updatedAt: string;
};

export const runKinds = ['backup', 'verify', 'drill', 'prune', 'copy', 'watch'] as const;
export type RunKind = (typeof runKinds)[number];
export const RunBody = z.strictObject({
  targetId: z.string().min(1).max(64),
  kind: z.enum(['backup', 'verify', 'drill', 'prune']),
});
export const RunsQuery = z.strictObject({ targetId: z.string().max(64).optional(), kind: z.enum(runKinds).optional() });

export type BackupRun = {
  id: string;
  targetId: string | null;
  kind: RunKind;
  trigger: 'schedule' | 'manual';
  status: 'queued' | 'running' | 'ok' | 'failed';
  progress: number;
  backupId: string | null;
  bytes: number | null;
  storedBytes: number | null;
  durationMs: number | null;
  report: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

export type BackupStatus = {
  keyConfigured: boolean;
  timeZone: string;
  /** The installation's retention (config `backupRetention`, else the contract's defaults). */
  retention: { onsite: Retention; offsite: Retention };
  lastVerifiedAt: string | null;
  lastBackupAt: string | null;
  schedules: { name: string; cron: string }[];
};

export type TargetBackup = {
  id: string;
  createdAt: string;
  bytes: number;
  storedBytes: number;
  durationMs: number;
  verifiedAt: string | null;
  verifiedOk: boolean | null;
  keep: string[];
  restoreCommand: string;
};

/** A secret in the config file: the value, or `{"env": "NAME"}` to read it from the environment. */
const ConfigSecret = z.union([z.string().min(1).max(20_000), z.strictObject({ env: z.string().regex(/^\w+$/) })]);
const configTarget = <K extends string, S extends z.ZodType>(kind: K, settings: S, secrets: string[]) =>
  z.strictObject({
    kind: z.literal(kind),
    name,
    offsite: z.boolean().default(false),
    enabled: z.boolean().default(true),
    retention: Retention.nullable().default(null),
    settings,
    secrets: z.strictObject(Object.fromEntries(secrets.map((k) => [k, ConfigSecret.optional()]))).default({}),
  });

/** Targets defined in the config file (`backupTargets`): listed in the console as "from config", read-only there. */
export const ConfigTargets = z
  .array(
    z.discriminatedUnion('kind', [
      configTarget('local', LocalSettings, []),
      configTarget('sftp', SftpSettings, ['password', 'privateKey']),
      configTarget('s3', S3Settings, ['secretAccessKey']),
    ]),
  )
  .max(50)
  .refine((a) => new Set(a.map((t) => t.name)).size === a.length, 'two targets have the same name')
  .default([]);
export type ConfigTarget = z.output<typeof ConfigTargets>[number];

/** Replaces `{"env": NAME}` secrets by the variable's value; the problems (path: reason) of those not set. */
export function resolveConfigSecrets(targets: ConfigTarget[], env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  targets.forEach((t, i) => {
    const secrets = t.secrets as Record<string, string | { env: string } | undefined>;
    for (const [k, v] of Object.entries(secrets)) {
      if (typeof v !== 'object') continue;
      const value = env[v.env];
      if (value) secrets[k] = value;
      else problems.push(`backupTargets.${i}.secrets.${k}: the environment variable ${v.env} is not set`);
    }
  });
  return problems;
}
