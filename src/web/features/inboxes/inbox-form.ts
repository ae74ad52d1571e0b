/** The inbox settings form: its values, and the conversions to and from the API's settings. */
import type { InboxSettings } from './api.ts';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
export const preChatFields = ['name', 'phone', 'email', 'orderNo'] as const;
export type PreChatField = (typeof preChatFields)[number];
export type Interval = [string, string];

export type InboxFormValues = {
  name: string;
  color: string;
  greeting: { 'zh-CN': string; en: string };
  offlineMessage: { 'zh-CN': string; en: string };
  preChat: { enabled: boolean; fields: PreChatField[]; required: PreChatField[] };
  alwaysOpen: boolean;
  timezone: string;
  hours: Record<Weekday, Interval[]>;
  allowedOrigins: string[];
  allowAnyOrigin: boolean;
  requireIdentity: boolean;
};

/** Office hours a new schedule starts from: 09:00–18:00 on weekdays. */
export const defaultHours = (): Record<Weekday, Interval[]> => ({
  mon: [['09:00', '18:00']],
  tue: [['09:00', '18:00']],
  wed: [['09:00', '18:00']],
  thu: [['09:00', '18:00']],
  fri: [['09:00', '18:00']],
  sat: [],
  sun: [],
});

export function toFormValues(name: string, s: InboxSettings, fallbackZone: string): InboxFormValues {
  return {
    name,
    color: s.color,
    greeting: { ...s.greeting },
    offlineMessage: { ...s.offlineMessage },
    preChat: { enabled: s.preChat.enabled, fields: [...s.preChat.fields], required: [...s.preChat.required] },
    alwaysOpen: s.businessHours === null,
    timezone: s.businessHours?.timezone ?? fallbackZone,
    hours: s.businessHours ? { ...defaultEmpty(), ...s.businessHours.hours } : defaultHours(),
    allowedOrigins: [...s.allowedOrigins],
    allowAnyOrigin: s.allowAnyOrigin,
    requireIdentity: s.requireIdentity,
  };
}

const defaultEmpty = (): Record<Weekday, Interval[]> => ({
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
});

/** An origin as the server wants it: scheme and host (and port), no path, no trailing slash. */
export function normalizeOrigin(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Each origin as the server wants it, once; unreadable ones dropped (the form flags them first). */
export const normalizeOrigins = (list: readonly string[] | undefined): string[] => [
  ...new Set((list ?? []).map(normalizeOrigin).filter((o): o is string => o !== null)),
];

export function toSettings(v: InboxFormValues): InboxSettings {
  const required = v.preChat.required.filter((f) => v.preChat.fields.includes(f));
  const hours = defaultEmpty();
  for (const day of weekdays)
    hours[day] = (v.hours[day] ?? []).filter(([a, b]) => a && b).map(([a, b]) => [a, b] as Interval);
  return {
    color: v.color,
    greeting: { 'zh-CN': v.greeting['zh-CN'] ?? '', en: v.greeting.en ?? '' },
    offlineMessage: { 'zh-CN': v.offlineMessage['zh-CN'] ?? '', en: v.offlineMessage.en ?? '' },
    preChat: { enabled: v.preChat.enabled, fields: [...v.preChat.fields], required },
    businessHours: v.alwaysOpen ? null : { timezone: v.timezone, hours },
    allowedOrigins: normalizeOrigins(v.allowedOrigins),
    allowAnyOrigin: v.allowAnyOrigin,
    requireIdentity: v.requireIdentity,
  };
}

/** "09:00", "09:15" … "24:00": the times a schedule can use. */
export const timeSlots: string[] = Array.from(
  { length: 97 },
  (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`,
);
