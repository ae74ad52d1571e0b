/**
 * What the frame makes of the loader's `kefu:init` and of the inbox's pre-chat settings. The init
 * message comes from the shop's page, so everything is checked here before it reaches the server:
 * a malformed identity is dropped (the shopper chats anonymously) rather than sent to fail.
 */
import type { z } from 'zod';
import type { StoreKey, Stored, PageInfo } from '../bridge.ts';
import type {
  PreChatField as PreChatFieldSchema,
  WidgetConfig as WidgetConfigSchema,
  WidgetSessionBody,
} from '../../shared/chat-api.ts';
import { preChatOrderNoPattern } from '../../shared/pre-chat.ts';

export type WidgetConfig = z.infer<typeof WidgetConfigSchema>;
export type PreChatField = z.infer<typeof PreChatFieldSchema>;
export type PreChatValues = Partial<Record<PreChatField, string>>;
export type SessionBody = z.infer<typeof WidgetSessionBody>;

export type InitData = {
  visitorId: string;
  origin: string;
  identity: { userId: string; hash: string } | null;
  /** Known about the shopper from kefuSettings: pre-fills (and may skip) the pre-chat form. */
  known: PreChatValues;
  language: string | undefined;
  /** What this frame stored through the loader on earlier page views (see bridge.ts). */
  stored: Stored;
  /** The shop page the shopper is on (null standalone or from an old loader). */
  page: PageInfo | null;
};

/** A page report from the loader, bounded; null when it is not one. */
export function parsePage(raw: unknown): PageInfo | null {
  if (!raw || typeof raw !== 'object') return null;
  const p = raw as Record<string, unknown>;
  const url = typeof p.url === 'string' && /^https?:\/\//i.test(p.url) ? p.url.slice(0, 1000) : null;
  if (!url) return null;
  const referrer = typeof p.referrer === 'string' && /^https?:\/\//i.test(p.referrer) ? p.referrer.slice(0, 1000) : '';
  return { url, title: typeof p.title === 'string' ? p.title.slice(0, 300) : '', referrer };
}

const storeKeys: StoreKey[] = ['read', 'prechat', 'outbox', 'active'];

const visitorIdPattern = /^[A-Za-z0-9_-]{16,64}$/;
const limits: Record<PreChatField, number> = { name: 100, phone: 40, email: 254, orderNo: 64 };

const str = (value: unknown, max: number): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
};

/** Null when the message is not a usable init (then the frame keeps waiting for one). */
export function parseInit(data: unknown, senderOrigin: string): InitData | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  if (d.type !== 'kefu:init' || typeof d.visitorId !== 'string' || !visitorIdPattern.test(d.visitorId)) return null;
  const s = (d.settings && typeof d.settings === 'object' ? d.settings : {}) as Record<string, unknown>;
  const userId = str(s.userId, 128);
  const hash = typeof s.userHash === 'string' ? s.userHash.trim().toLowerCase() : '';
  const known: PreChatValues = {};
  for (const key of ['name', 'phone', 'email'] as const) {
    const value = str(s[key], limits[key]);
    if (value) known[key] = value;
  }
  return {
    visitorId: d.visitorId,
    // The browser's word on who sent the message, not the page's own claim.
    origin: senderOrigin,
    identity: userId && /^[0-9a-f]{64}$/.test(hash) ? { userId, hash } : null,
    known,
    language: str(s.language, 35),
    stored: pickStored(d.stored),
    page: parsePage(d.page),
  };
}

function pickStored(raw: unknown): Stored {
  const stored: Stored = {};
  if (!raw || typeof raw !== 'object') return stored;
  for (const key of storeKeys) {
    const value = (raw as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) stored[key] = value;
  }
  return stored;
}

/** The pre-chat fields still to ask: none when the form is off or everything is already known. */
export function fieldsToAsk(config: WidgetConfig, known: PreChatValues): PreChatField[] {
  if (!config.preChat.enabled) return [];
  return config.preChat.fields.filter((field) => !known[field]);
}

export type FieldError = 'required' | 'email' | 'phone' | 'orderNo';

export function validatePreChat(
  config: WidgetConfig,
  fields: PreChatField[],
  values: PreChatValues,
): Partial<Record<PreChatField, FieldError>> {
  const errors: Partial<Record<PreChatField, FieldError>> = {};
  for (const field of fields) {
    const value = values[field]?.trim() ?? '';
    if (!value) {
      if (config.preChat.required.includes(field)) errors[field] = 'required';
    } else if (field === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) errors.email = 'email';
    else if (field === 'phone' && !/^\+?[\d\s()-]{5,20}$/.test(value)) errors.phone = 'phone';
    // As the server accepts it (WidgetSessionBody): a bad one would fail the session.
    else if (field === 'orderNo' && !preChatOrderNoPattern.test(value)) errors.orderNo = 'orderNo';
  }
  return errors;
}

/** Trimmed, length-capped values of the fields with any content. */
export function cleanPreChat(values: PreChatValues): PreChatValues {
  const out: PreChatValues = {};
  for (const key of Object.keys(limits) as PreChatField[]) {
    const value = values[key]?.trim();
    if (value) out[key] = value.slice(0, limits[key]);
  }
  return out;
}

/** Either a phone-like string or an e-mail address (the offline form's one contact field). */
export function isContact(value: string): boolean {
  const v = value.trim();
  return v.length >= 3 && v.length <= 254 && (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) || /^\+?[\d\s()-]{5,20}$/.test(v));
}

/** Agents are online and within the inbox's business hours. */
export const staffed = (c: WidgetConfig): boolean => c.online && c.withinBusinessHours;
/** Someone answers a new message now: agents, or the bot while they are away (else the offline form). */
export const answering = (c: WidgetConfig): boolean => staffed(c) || c.bot;
