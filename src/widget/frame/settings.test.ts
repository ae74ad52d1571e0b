import { describe, expect, it } from 'vitest';
import {
  answering,
  cleanPreChat,
  fieldsToAsk,
  isContact,
  parseInit,
  staffed,
  validatePreChat,
  type WidgetConfig,
} from './settings.ts';
import { pickLanguage } from './i18n.ts';

const hash = 'a'.repeat(64);
const config = (preChat: WidgetConfig['preChat']): WidgetConfig => ({
  inboxId: 'inb_1',
  name: '小店客服',
  color: '#1677ff',
  greeting: { 'zh-CN': '您好', en: 'Hi' },
  offlineMessage: { 'zh-CN': '离线', en: 'Away' },
  preChat,
  online: true,
  withinBusinessHours: true,
  bot: false,
  botGreeting: null,
});

describe('parseInit', () => {
  it('takes the identity and what is known about the shopper, and the origin from the browser', () => {
    const stored = { active: true, read: { c1: 3 }, outbox: null, junk: 'x' };
    const init = parseInit(
      {
        type: 'kefu:init',
        visitorId: 'v'.repeat(24),
        origin: 'https://evil.example',
        settings: { userId: 42, userHash: hash.toUpperCase(), name: ' 张三 ', language: 'en-US' },
        stored,
      },
      'https://shop.example',
    );
    expect(init).toEqual({
      visitorId: 'v'.repeat(24),
      origin: 'https://shop.example',
      identity: null,
      known: { name: '张三' },
      language: 'en-US',
      stored: { active: true, read: { c1: 3 } },
      page: null,
    });
    // userId must be a string (the loader turns numbers into strings); a malformed hash means no identity
    expect(
      parseInit(
        { type: 'kefu:init', visitorId: 'v'.repeat(24), settings: { userId: '42', userHash: hash } },
        'https://s',
      )?.identity,
    ).toEqual({ userId: '42', hash });
    expect(
      parseInit(
        { type: 'kefu:init', visitorId: 'v'.repeat(24), settings: { userId: '42', userHash: 'nothex' } },
        'https://s',
      )?.identity,
    ).toBeNull();
  });

  it('takes the shop page from the loader, bounded, and only http(s) addresses', () => {
    const init = (page: unknown) =>
      parseInit({ type: 'kefu:init', visitorId: 'v'.repeat(24), page }, 'https://shop.example')?.page;
    expect(init({ url: 'https://shop.example/p/1', title: '羽绒服', referrer: 'https://www.baidu.com/s' })).toEqual({
      url: 'https://shop.example/p/1',
      title: '羽绒服',
      referrer: 'https://www.baidu.com/s',
    });
    expect(init({ url: 'javascript:alert(1)', title: 'x' })).toBeNull();
    expect(init({ url: 'https://shop.example/p/2', referrer: 'javascript:x' })).toEqual({
      url: 'https://shop.example/p/2',
      title: '',
      referrer: '',
    });
    expect(init({ url: `https://shop.example/${'a'.repeat(5000)}`, title: 't'.repeat(999) })).toMatchObject({
      url: expect.stringMatching(/^.{1000}$/),
      title: expect.stringMatching(/^t{300}$/),
    });
    expect(init('https://shop.example/p/3')).toBeNull();
  });

  it('refuses messages that are not a usable init', () => {
    expect(parseInit(null, 'https://s')).toBeNull();
    expect(parseInit({ type: 'kefu:init', visitorId: 'short' }, 'https://s')).toBeNull();
    expect(parseInit({ type: 'kefu:init', visitorId: 'has spaces in it, not allowed' }, 'https://s')).toBeNull();
    expect(parseInit({ type: 'kefu:close', visitorId: 'v'.repeat(24) }, 'https://s')).toBeNull();
  });
});

describe('pre-chat', () => {
  const c = config({ enabled: true, fields: ['name', 'phone', 'email', 'orderNo'], required: ['name', 'phone'] });

  it('asks only for what is not known, and nothing when disabled', () => {
    expect(fieldsToAsk(c, { name: '张三' })).toEqual(['phone', 'email', 'orderNo']);
    expect(fieldsToAsk(config({ enabled: false, fields: ['name'], required: [] }), {})).toEqual([]);
  });

  it('requires the required fields and checks the format of the optional ones', () => {
    expect(validatePreChat(c, ['name', 'phone', 'email'], { name: ' ', email: 'x@' })).toEqual({
      name: 'required',
      phone: 'required',
      email: 'email',
    });
    expect(
      validatePreChat(c, ['name', 'phone', 'email', 'orderNo'], { name: '李四', phone: '+86 138-0013-8000' }),
    ).toEqual({});
    // The order number as the server accepts it: a bad one is said here instead of failing the session.
    expect(validatePreChat(c, ['orderNo'], { orderNo: ' KF-2024_01 ' })).toEqual({});
    expect(validatePreChat(c, ['orderNo'], { orderNo: '#1001' })).toEqual({});
    for (const orderNo of ['订单 123', 'A 1', 'x'.repeat(65)])
      expect(validatePreChat(c, ['orderNo'], { orderNo })).toEqual({ orderNo: 'orderNo' });
    expect(cleanPreChat({ name: '  李四 ', email: '', orderNo: 'x'.repeat(80) })).toEqual({
      name: '李四',
      orderNo: 'x'.repeat(64),
    });
  });

  it('accepts a phone number or an e-mail as offline contact', () => {
    expect(isContact('13800138000')).toBe(true);
    expect(isContact('a@b.cn')).toBe(true);
    expect(isContact('微信 abc')).toBe(false);
  });
});

describe('pickLanguage', () => {
  it('prefers the merchant setting, then the browser; Chinese variants are zh-CN', () => {
    expect(pickLanguage('en', 'zh-CN')).toBe('en');
    expect(pickLanguage(undefined, 'zh-TW')).toBe('zh-CN');
    expect(pickLanguage(undefined, 'de-DE')).toBe('en');
    expect(pickLanguage('zh', 'en-US')).toBe('zh-CN');
  });
});

describe('who answers a new message', () => {
  const base = config({ enabled: false, fields: [], required: [] });
  it('agents online in business hours: chat, staffed', () => {
    expect([staffed(base), answering(base)]).toEqual([true, true]);
  });
  it('out of hours or nobody online: the offline form, unless the bot answers', () => {
    for (const away of [
      { online: false },
      { withinBusinessHours: false },
      { online: false, withinBusinessHours: false },
    ]) {
      const c = { ...base, ...away };
      expect([staffed(c), answering(c)]).toEqual([false, false]);
      expect([staffed({ ...c, bot: true }), answering({ ...c, bot: true })]).toEqual([false, true]);
    }
  });
});
