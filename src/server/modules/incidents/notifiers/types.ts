/** One typed interface for every way an incident reaches people (architecture rule 4: adapters in notifiers/). */
import type { z } from 'zod';

/** What every notifier renders from. Texts are in Chinese (the contract's language) with English ids. */
export type NotifierMessage = {
  title: string;
  /** Markdown for robots that render it (DingTalk, WeCom, Feishu's lark_md). */
  markdown: string;
  /** Plain text for e-mail and SMS. */
  text: string;
  /** One-click acknowledgement (signed, single-use, expiring); null when the event needs none. */
  ackUrl: string | null;
  incidentUrl: string;
  severity: string;
};

export type SendContext = {
  /** Injected so tests and the SMTP path share one signature. */
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => Date;
  sendMail(mail: { to: string; subject: string; text: string }): Promise<void>;
};

export type Notifier<C> = {
  kind: string;
  config: z.ZodType<C>;
  /** Config keys that are secrets: never returned by the API. */
  secrets: readonly string[];
  /** Delivers or throws an Error saying why (the job retries with back-off). */
  send(config: C, message: NotifierMessage, ctx: SendContext): Promise<void>;
};

/** POST JSON with a timeout; a non-2xx answer is an error carrying the status and the start of the body. */
export async function postJson(
  ctx: SendContext,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const raw = JSON.stringify(body);
  const res = await ctx.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
    signal: AbortSignal.timeout(ctx.timeoutMs),
    redirect: 'error',
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
