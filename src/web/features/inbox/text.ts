/** Small pure helpers of the inbox: relative times, canned-reply search and variables, file sizes. */
import type { CannedReply } from '../../../shared/chat-api.ts';
import { formatDateTime } from '../../shared/format.ts';

/** "刚刚", "5 分钟前", "3 小时前" within a day; then the date (and time) in the workspace's zone. */
export function relativeTime(iso: string | null | undefined, now: number, language: string, timeZone: string): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'narrow' });
  if (seconds < 45) return rtf.format(0, 'second');
  if (seconds < 3600) return rtf.format(-Math.max(1, Math.round(seconds / 60)), 'minute');
  if (seconds < 86_400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  const full = formatDateTime(iso, timeZone);
  const sameYear = full.slice(0, 4) === formatDateTime(new Date(now).toISOString(), timeZone).slice(0, 4);
  return sameYear ? full.slice(5, 10) : full.slice(0, 10);
}

/** Canned replies whose short code starts with (then contains) what follows the `/`. */
export function filterCanned(items: readonly CannedReply[], search: string): CannedReply[] {
  const s = search.trim().toLowerCase();
  if (!s) return [...items].sort((a, b) => a.shortCode.localeCompare(b.shortCode));
  const starts = items.filter((c) => c.shortCode.toLowerCase().startsWith(s));
  const contains = items.filter(
    (c) => !starts.includes(c) && (c.shortCode.toLowerCase().includes(s) || c.content.toLowerCase().includes(s)),
  );
  return [...starts.sort((a, b) => a.shortCode.length - b.shortCode.length), ...contains];
}

/** Fills `{{customer.name}}` and `{{agent.name}}`; an unknown (or masked) customer name becomes empty. */
export function fillVariables(content: string, vars: { customerName: string | null; agentName: string }): string {
  return content
    .replace(/\{\{\s*customer\.name\s*\}\}/g, vars.customerName ?? '')
    .replace(/\{\{\s*agent\.name\s*\}\}/g, vars.agentName)
    .replace(/ {2,}/g, ' ');
}

/**
 * The canned-reply search in a composer text: a `/` at the start or after whitespace, followed by
 * no whitespace, ending at the caret. Null when the caret is not in such a word.
 */
export function slashQuery(text: string, caret: number): { start: number; search: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!match) return null;
  return { start: caret - match[2].length - 1, search: match[2] };
}

/**
 * The @mention search in a note: an `@` not inside a word of Latin letters or digits (an e-mail
 * address), followed by up to 20 characters without whitespace, ending at the caret.
 */
export function atQuery(text: string, caret: number): { start: number; search: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[^A-Za-z0-9._%+-])@([^\s@]{0,20})$/.exec(before);
  if (!match) return null;
  return { start: caret - match[2].length - 1, search: match[2] };
}

/** People whose `search` text (else name) contains the search (case-insensitive), those whose name starts with it first. */
export function filterPeople<P extends { name: string; search?: string }>(people: P[], search: string): P[] {
  const s = search.toLowerCase();
  const hits = people.filter((p) => (p.search ?? p.name).toLowerCase().includes(s));
  return [
    ...hits.filter((p) => p.name.toLowerCase().startsWith(s)),
    ...hits.filter((p) => !p.name.toLowerCase().startsWith(s)),
  ];
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

const urlPattern = /https?:\/\/[^\s<>"'\u3000-\u303f\uff00-\uffef]+/g;

/** A message text cut into plain runs and web addresses (http/https only; trailing punctuation stays text). */
export function linkParts(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  let index = 0;
  for (const match of text.matchAll(urlPattern)) {
    const href = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index ?? 0;
    if (start > index) parts.push({ text: text.slice(index, start) });
    parts.push({ text: href, href });
    index = start + href.length;
  }
  if (index < text.length) parts.push({ text: text.slice(index) });
  return parts;
}
