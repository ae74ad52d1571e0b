import { describe, expect, it } from 'vitest';
import { componentTitle } from './components.ts';

describe('componentTitle', () => {
  const components = [
    { name: 'web_chat', title: '网页在线客服', titleEn: 'Web chat' },
    { name: 'taobao_sync', title: '淘宝订单同步', titleEn: 'Taobao order sync' },
  ];
  it("names a component in the reader's language, not by its key", () => {
    expect(componentTitle('web_chat', components, 'zh-CN')).toBe('网页在线客服');
    expect(componentTitle('taobao_sync', components, 'en')).toBe('Taobao order sync');
  });
  it('falls back to the key while the list loads or for a probe outside any component', () => {
    expect(componentTitle('web_chat', undefined, 'zh-CN')).toBe('web_chat');
    expect(componentTitle('custom_probe', components, 'en')).toBe('custom_probe');
  });
});
