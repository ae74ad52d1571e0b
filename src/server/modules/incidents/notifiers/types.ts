/** One typed interface for every way an incident reaches people (architecture rule 4: adapters in notifiers/). */
import type { z } from 'zod';
import type { Language } from '../../../lib/language.ts';

/** What every notifier renders from, in one language: the workspace's (incidents/messages.ts). */
export type NotifierMessage = {
  /** The language of the texts; the notifier's own words (link labels, buttons) follow it. */
  lang: Language;
  title: string;
  /** Markdown for robots that render it (DingTalk, WeCom, Feishu's lark_md). */
  markdown: string;
  /** Plain text for e-mail and SMS. */
  text: string;
  /** One-click acknowledgement (signed, single-use, expiring); null when the event needs none. */
  ackUrl: string | null;
  incidentUrl: string;
  severity: string;
  /** The link's label, in `lang`: "open the incident" unless the message is not an incident's (a report: "open the report"). */
  linkLabel?: string;
};

/** What a notifier endpoint answered. */
export type PostResult = { status: number; text: string };

export type SendContext = {
  /**
   * POSTs to a workspace-configured endpoint through the SSRF guard (`lib/outbound.ts`): private
   * and loopback addresses are refused unless the installation allow-lists them, checked on the
   * address actually connected to and on every redirect. Times out after `timeoutMs`.
   */
  post(url: string, init: { headers: Record<string, string>; body: string }): Promise<PostResult>;
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
  const { status, text } = await ctx.post(url, {
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
  });
  if (status < 200 || status >= 300) throw new Error(`HTTP ${status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
