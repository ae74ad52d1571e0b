/**
 * The optional LLM: one chat-completions request to an OpenAI-compatible endpoint that picks the
 * best of the offline engine's top candidates (or none) and, when asked, phrases the chosen
 * entry's answer for the shopper's question using nothing but that answer. The request goes
 * through the outbound SSRF guard (`lib/outbound.ts`); the shopper's text arrives here already
 * masked (`pii-mask.ts`). Any failure — time limit, connection, HTTP status, output that is not
 * the JSON asked for — is an `LlmFailure`, and the caller answers offline.
 */
import { z } from 'zod';
import { outboundRequest, type AllowList } from '../../lib/outbound.ts';

export type LlmConfig = { baseUrl: string; model: string; apiKey: string | null; timeoutMs: number; phrase: boolean };
export type LlmCandidate = { question: string; answer: string };
export type LlmVerdict = {
  /** 1-based index into the candidates; 0: none of them answers the message. */
  choice: number;
  /** The chosen answer phrased for the question (only when asked, already checked), else null. */
  answer: string | null;
};
export type LlmFailureKind = 'timeout' | 'error' | 'garbage';
export class LlmFailure extends Error {
  readonly kind: LlmFailureKind;
  constructor(kind: LlmFailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** Answers longer than this are cut from the prompt (the LLM needs their gist, and prompts stay small). */
const answerCharsInPrompt = 600;
const maxResponseBytes = 256 * 1024;

const system = [
  "You re-rank knowledge-base entries for an online shop's customer-service bot.",
  'You get a shopper message (personal data is replaced by placeholders such as <PHONE> or <ORDER_NO>) and numbered entries, each a question and its answer.',
  'Pick the entry whose answer answers the message; 0 when none does.',
  'Reply with one JSON object and nothing else: {"choice": <entry number or 0>, "answer": "<text>"}.',
  'When "phrase" is true and choice is not 0, "answer" is the chosen answer reworded to fit the message, in the language of the message,',
  'using only facts from that answer: never add facts, numbers, links, promises or placeholders. Otherwise "answer" is "".',
].join(' ');

const Verdict = z.object({ choice: z.number().int().min(0), answer: z.string().max(4000).optional().nullable() });
const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

/** The chat-completions URL for a base URL (`…/v1` → `…/v1/chat/completions`). */
export const completionsUrl = (baseUrl: string) => `${baseUrl.replace(/\/+$/, '')}/chat/completions`;

/** The JSON object in a model's reply (bare, or in a ``` fence, or with words around it). */
export function jsonIn(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content)?.[1] ?? content;
  const start = fenced.indexOf('{');
  const end = fenced.lastIndexOf('}');
  if (start < 0 || end <= start) throw new LlmFailure('garbage', 'the reply holds no JSON object');
  try {
    return JSON.parse(fenced.slice(start, end + 1));
  } catch {
    throw new LlmFailure('garbage', 'the reply is not valid JSON');
  }
}

const numbersIn = (t: string) => t.match(/\d+(?:[.,]\d+)*/g) ?? [];
const linksIn = (t: string) => t.match(/\b(?:https?:\/\/|www\.)[^\s)）>\]]+/gi) ?? [];

/**
 * Whether a phrased answer keeps to its entry: not empty, not much longer, every number and link
 * in it also in the entry's answer, no placeholders, no quick-reply tokens. Null when it does not.
 */
export function checkedPhrasing(phrased: string, original: string): string | null {
  const t = phrased.trim();
  if (!t || t.length > Math.max(original.length * 2, original.length + 200)) return null;
  if (/<[A-Z_]{2,}>|\[\[|\]\]/.test(t)) return null;
  const have = new Set(numbersIn(original));
  if (numbersIn(t).some((n) => !have.has(n))) return null;
  const links = linksIn(original).join(' ');
  if (linksIn(t).some((l) => !links.includes(l.replace(/[.,;:!?。，]+$/, '')))) return null;
  return t;
}

/** Asks the LLM; throws `LlmFailure` on any failure. `message` must already be masked. */
export async function askLlm(
  cfg: LlmConfig,
  allow: AllowList,
  message: string,
  candidates: readonly LlmCandidate[],
  opts: { phrase?: boolean } = {},
): Promise<LlmVerdict> {
  const phrase = opts.phrase ?? cfg.phrase;
  const body = JSON.stringify({
    model: cfg.model,
    temperature: 0,
    max_tokens: phrase ? 800 : 60,
    messages: [
      { role: 'system', content: system },
      {
        role: 'user',
        content: JSON.stringify({
          message,
          phrase,
          entries: candidates.map((c, i) => ({
            n: i + 1,
            question: c.question,
            answer: c.answer.length > answerCharsInPrompt ? `${c.answer.slice(0, answerCharsInPrompt)}…` : c.answer,
          })),
        }),
      },
    ],
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
  const t0 = Date.now();
  let res;
  try {
    res = await outboundRequest(completionsUrl(cfg.baseUrl), {
      method: 'POST',
      headers,
      body,
      timeoutMs: cfg.timeoutMs,
      maxBytes: maxResponseBytes,
      maxRedirects: 0,
      allow,
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const timedOut = /timed out/i.test(msg) || Date.now() - t0 >= cfg.timeoutMs;
    throw new LlmFailure(timedOut ? 'timeout' : 'error', timedOut ? `no answer within ${cfg.timeoutMs} ms` : msg);
  }
  if (res.status < 200 || res.status >= 300)
    throw new LlmFailure(
      'error',
      `the endpoint answered HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`,
    );
  if (res.truncated) throw new LlmFailure('garbage', 'the reply is too large');
  let completion;
  try {
    completion = Completion.parse(JSON.parse(res.body.toString('utf8')));
  } catch {
    throw new LlmFailure('garbage', 'the reply is not a chat completion');
  }
  const parsed = Verdict.safeParse(jsonIn(completion.choices[0]!.message.content));
  if (!parsed.success) throw new LlmFailure('garbage', 'the reply does not say which entry answers');
  const { choice } = parsed.data;
  if (choice > candidates.length)
    throw new LlmFailure('garbage', `the reply chose entry ${choice} of ${candidates.length}`);
  const answer =
    phrase && choice > 0 && parsed.data.answer
      ? checkedPhrasing(parsed.data.answer, candidates[choice - 1]!.answer)
      : null;
  return { choice, answer };
}
