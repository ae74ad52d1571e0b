import { beforeAll, describe, expect, it } from 'vitest';
import { formatSize, linkify, safeUrl } from './message-list.tsx';

beforeAll(() => {
  // safeUrl resolves relative URLs against the frame's address.
  (globalThis as { location?: unknown }).location ??= { href: 'https://kefu.example.com/widget/frame.html?inbox=x' };
});

describe('safeUrl', () => {
  it('lets through http(s) and same-origin paths only', () => {
    expect(safeUrl('/api/uploads/att_1?sig=abc')).toBe('https://kefu.example.com/api/uploads/att_1?sig=abc');
    expect(safeUrl('https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(' JavaScript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,<script>alert(1)</script>')).toBeNull();
  });
});

describe('linkify', () => {
  const hrefs = (text: string) =>
    linkify(text).flatMap((part) =>
      typeof part === 'object' && part && 'props' in part ? [(part.props as { href: string }).href] : [],
    );
  const plain = (text: string) =>
    linkify(text)
      .map((part) => (typeof part === 'string' ? part : `<${(part as { props: { href: string } }).props.href}>`))
      .join('');

  it('turns web addresses into links and leaves the rest as text', () => {
    expect(plain('物流：https://example.com/track?id=1。请查收')).toBe(
      '物流：<https://example.com/track?id=1>。请查收',
    );
    expect(hrefs('see (https://a.example/x), or http://b.example.')).toEqual([
      'https://a.example/x',
      'http://b.example',
    ]);
    expect(plain('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>'); // text, never markup
    expect(hrefs('javascript:alert(1) ftp://x.example')).toEqual([]);
  });
});

describe('formatSize', () => {
  it('prints sizes shoppers understand', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(20_480)).toBe('20 KB');
    expect(formatSize(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });
});
