import { describe, expect, it } from 'vitest';
import type { InboxSettings } from './api.ts';
import { normalizeOrigin, timeSlots, toFormValues, toSettings } from './inbox-form.ts';

const settings: InboxSettings = {
  color: '#1677ff',
  greeting: { 'zh-CN': '您好', en: 'Hi' },
  offlineMessage: { 'zh-CN': '离线', en: 'Away' },
  preChat: { enabled: true, fields: ['name', 'phone'], required: ['phone'] },
  businessHours: null,
  allowedOrigins: ['https://shop.example.com'],
  allowAnyOrigin: false,
  requireIdentity: false,
};

describe('inbox form', () => {
  it('round-trips settings, starting "always open" inboxes from office hours in the workspace zone', () => {
    const v = toFormValues('Web', settings, 'Asia/Shanghai');
    expect(v.alwaysOpen).toBe(true);
    expect(v.timezone).toBe('Asia/Shanghai');
    expect(v.hours.mon).toEqual([['09:00', '18:00']]);
    expect(toSettings(v)).toEqual(settings);

    const open = toSettings({ ...v, alwaysOpen: false, hours: { ...v.hours, sat: [['10:00', '14:00']] } });
    expect(open.businessHours).toEqual({
      timezone: 'Asia/Shanghai',
      hours: {
        mon: [['09:00', '18:00']],
        tue: [['09:00', '18:00']],
        wed: [['09:00', '18:00']],
        thu: [['09:00', '18:00']],
        fri: [['09:00', '18:00']],
        sat: [['10:00', '14:00']],
        sun: [],
      },
    });
    expect(toFormValues('Web', open, 'UTC').hours.sat).toEqual([['10:00', '14:00']]);
  });

  it('drops required fields that are not asked for and normalizes origins', () => {
    const v = toFormValues('Web', settings, 'UTC');
    const s = toSettings({
      ...v,
      preChat: { enabled: true, fields: ['name'], required: ['name', 'phone'] },
      allowedOrigins: ['shop.example.com/', 'http://localhost:8080/path', 'https://shop.example.com'],
    });
    expect(s.preChat.required).toEqual(['name']);
    expect(s.allowedOrigins).toEqual(['https://shop.example.com', 'http://localhost:8080']);
  });

  it('normalizes or refuses origins', () => {
    expect(normalizeOrigin('HTTPS://Shop.Example.com/cart')).toBe('https://shop.example.com');
    expect(normalizeOrigin('  ')).toBeNull();
    expect(normalizeOrigin('ftp://x.example')).toBeNull();
  });

  it('offers quarter-hour slots from 00:00 to 24:00', () => {
    expect(timeSlots[0]).toBe('00:00');
    expect(timeSlots[37]).toBe('09:15');
    expect(timeSlots.at(-1)).toBe('24:00');
  });
});
