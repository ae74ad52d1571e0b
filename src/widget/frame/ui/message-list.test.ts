import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineItem } from '../chat-state.ts';
import { currentAgent } from './agent-avatar.ts';
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

describe('currentAgent (defect 12: the header shows who answers)', () => {
  const msg = (seq: number, sender: object) =>
    ({
      type: 'message',
      key: `m${seq}`,
      own: false,
      status: null,
      message: { id: `m${seq}`, conv: 'c', seq, cid: null, kind: 'text', body: 'x', attachments: [], sender, at: '' },
    }) as TimelineItem;
  it('is the last agent who answered, else the session’s agent, else nobody', () => {
    const yu = { type: 'agent', id: 'usr_1', name: '客服小雨', avatar: '/api/agent-avatars/usr_1' };
    const jie = { type: 'agent', id: 'usr_2', name: '客服阿杰', avatar: '/api/agent-avatars/usr_2' };
    const bot = { type: 'bot', id: null, name: '智能助手' };
    const fromSession = { name: '店长小云', avatar: '/api/agent-avatars/usr_3' };
    expect(currentAgent([msg(1, yu), msg(2, jie), msg(3, bot)], fromSession)).toEqual({
      name: '客服阿杰',
      avatar: '/api/agent-avatars/usr_2',
    });
    expect(currentAgent([msg(1, bot)], fromSession)).toEqual(fromSession);
    expect(currentAgent([msg(1, bot)], undefined)).toBeNull();
  });
});
