/**
 * What the monitoring routes answer (OpenAPI response schemas; the zod serializer checks each
 * answer against them). Items are loose objects: the fields named here are documented and
 * checked, and a field added later is passed through rather than dropped.
 * openapi-responses.test.ts fails when a monitoring, status or ops route declares none.
 */
import { z } from 'zod';

const Labels = z.record(z.string(), z.string());
/** A sample value: a number, or NaN/±Inf (sent as null, as JSON has no such numbers). */
const Value = z.any().describe('number; NaN and ±Inf are sent as null');

export const OkResponse = z.strictObject({ ok: z.boolean() });
export const OutcomeResponse = z.strictObject({ outcome: z.enum(['created', 'updated', 'unchanged']) });

export const ComponentsResponse = z.strictObject({
  items: z.array(
    z.looseObject({ name: z.string(), title: z.string(), titleEn: z.string(), builtIn: z.boolean().optional() }),
  ),
});

export const HealthResponse = z.strictObject({
  items: z.array(
    z.looseObject({
      name: z.string(),
      title: z.string(),
      titleEn: z.string(),
      status: z.enum(['up', 'degraded', 'down', 'unknown']),
      days: z.array(z.number().nullable()),
      uptime90d: z.number().nullable(),
    }),
  ),
});

const Uptime = z.looseObject({
  h24: z.number().nullable(),
  d7: z.number().nullable(),
  d30: z.number().nullable(),
  d90: z.number().nullable(),
});
export const ProbesResponse = z.strictObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      type: z.string(),
      definition: z.record(z.string(), z.unknown()),
      component: z.string().nullable(),
      enabled: z.boolean(),
      status: z.enum(['unknown', 'up', 'pending', 'down']),
      failures: z.number(),
      lastCheckAt: z.string().nullable(),
      lastDurationMs: z.number().nullable(),
      lastStatusCode: z.number().nullable(),
      lastError: z.string().nullable(),
      certExpiresAt: z.string().nullable(),
      pushPath: z.string().nullable(),
      uptime: Uptime,
    }),
  ),
});

export const AlertsResponse = z.strictObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      rule: z.string(),
      group: z.string(),
      state: z.enum(['pending', 'firing', 'resolved']),
      severity: z.string().nullable(),
      labels: Labels,
      annotations: Labels,
      value: Value,
      activeAt: z.string(),
      firedAt: z.string().nullable(),
      resolvedAt: z.string().nullable(),
      suppressedBy: z.string().nullable(),
    }),
  ),
});

/** The configuration document (`kefu ops export`); its parts as `PUT /api/ops/config` takes them. */
export const ConfigResponse = z.looseObject({
  components: z.array(z.record(z.string(), z.unknown())).optional(),
  probes: z.array(z.record(z.string(), z.unknown())),
  groups: z.array(z.record(z.string(), z.unknown())),
  silences: z.array(z.record(z.string(), z.unknown())),
  maintenance: z.array(z.record(z.string(), z.unknown())),
  inhibit_rules: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const ApplyResponse = z.looseObject({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  deleted: z.array(z.string()),
  unchanged: z.array(z.string()),
  warnings: z.array(z.string()),
});

export const InstantQueryResponse = z.looseObject({
  resultType: z.string(),
  result: z.union([z.array(z.looseObject({ labels: Labels, value: Value })), Value]),
  unknownMetrics: z.array(z.string()),
});

export const RangeQueryResponse = z.looseObject({
  step: z.number(),
  series: z.array(z.looseObject({ labels: Labels, points: z.array(z.tuple([z.number(), Value])) })),
});

export const WrittenResponse = z.strictObject({ written: z.number().int() });
