/**
 * The audit file of `kefu report compute` (docs/REPORTS.md): validated with every problem named by
 * its path, instants parsed (a time without an offset is read as UTC).
 */
import { z } from 'zod';
import { parseInstant } from '../../lib/time/index.ts';
import { problemsOf, type Validation } from '../../lib/validation.ts';
import type { CsConversation, CsFigures, CsInput, CsRating } from './cs-figures.ts';

const iso = z.string().min(1);
const fileSchema = z.object({
  period: z.object({ start: iso, end: iso }),
  conversations: z
    .array(
      z.object({
        id: z.string().min(1),
        createdAt: iso,
        messages: z
          .array(
            z.object({
              at: iso,
              from: z.enum(['customer', 'agent', 'bot']),
              agentId: z.string().min(1).nullish(),
            }),
          )
          .default([]),
        resolvedAt: z.array(iso).default([]),
        reopenedAt: z.array(iso).default([]),
      }),
    )
    .default([]),
  ratings: z
    .array(z.object({ conversationId: z.string().min(1), score: z.number().int().min(1).max(5), at: iso }))
    .default([]),
});

export function parseCsInput(raw: unknown): Validation<CsInput> {
  const r = fileSchema.safeParse(raw);
  if (!r.success) return { ok: false, problems: problemsOf(r.error) };
  const problems: string[] = [];
  const at = (text: string, where: string): number => {
    const ms = parseInstant(text, 'UTC');
    if (ms === null) problems.push(`${where}: ${JSON.stringify(text)} is not an ISO-8601 date-time`);
    return ms ?? 0;
  };
  const f = r.data;
  const period = { start: at(f.period.start, 'period.start'), end: at(f.period.end, 'period.end') };
  if (!problems.length && period.end <= period.start) problems.push('period: end must be after start');
  const ids = new Set<string>();
  const conversations: CsConversation[] = f.conversations.map((c, i) => {
    const where = `conversations[${i}]`;
    if (ids.has(c.id)) problems.push(`${where}.id: ${JSON.stringify(c.id)} is used twice`);
    ids.add(c.id);
    return {
      id: c.id,
      createdAt: at(c.createdAt, `${where}.createdAt`),
      messages: c.messages.map((m, j) => ({
        at: at(m.at, `${where}.messages[${j}].at`),
        from: m.from,
        agentId: m.agentId ?? null,
      })),
      resolvedAt: c.resolvedAt.map((t, j) => at(t, `${where}.resolvedAt[${j}]`)),
      reopenedAt: c.reopenedAt.map((t, j) => at(t, `${where}.reopenedAt[${j}]`)),
    };
  });
  const ratings: CsRating[] = f.ratings.map((x, i) => ({
    conversationId: x.conversationId,
    score: x.score,
    at: at(x.at, `ratings[${i}].at`),
  }));
  return problems.length ? { ok: false, problems } : { ok: true, value: { period, conversations, ratings } };
}

/** The figures as a short text for people (the CLI without --json). */
export function csFiguresText(f: CsFigures): string {
  const s = (v: number | null) => (v === null ? '-' : `${v} s`);
  const p = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)} %`);
  return [
    `first response time   n=${f.frt.count}  p50 ${s(f.frt.p50)}  p90 ${s(f.frt.p90)}`,
    `resolution time       n=${f.resolution.count}  p50 ${s(f.resolution.p50)}  p90 ${s(f.resolution.p90)}`,
    `resolution rate       ${p(f.resolutionRate)}`,
    `first-contact res.    ${p(f.fcr)}`,
    `CSAT                  ${p(f.csat.percent)} of ${f.csat.count} ratings`,
  ].join('\n');
}
