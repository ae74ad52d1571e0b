import { describe, expect, it } from 'vitest';
import { newClientId, Outbox, sendFrame, type OutboxEntry } from './outbox.ts';

const entry = (cid: string, conv: string | null = 'cnv_1') => ({
  cid,
  conv,
  kind: 'text' as const,
  body: cid,
  attachments: [],
  createdAt: '2025-01-01T00:00:00.000Z',
});

describe('Outbox', () => {
  it('keeps order, fails, retries (under a new cid when asked) and removes', () => {
    const o = new Outbox();
    o.add(entry('a'));
    o.add(entry('b'));
    o.add(entry('c', 'cnv_2'));
    expect(o.all().map((e) => e.cid)).toEqual(['a', 'b', 'c']);

    const before = o.get('b');
    expect(o.fail('b', 'not_stored', 'the message was not stored')).toMatchObject({
      state: 'failed',
      code: 'not_stored',
      error: 'the message was not stored',
    });
    expect(o.get('b')).not.toBe(before); // replaced, not changed in place
    expect(o.retry('a')).toBeUndefined(); // only failed ones
    expect(o.retry('b')).toEqual({ ...entry('b'), state: 'sending' });

    o.fail('c', 'cid_conflict', 'taken');
    expect(o.retry('c', 'c2')?.cid).toBe('c2');
    expect(o.all().map((e) => e.cid)).toEqual(['a', 'b', 'c2']);

    expect(o.remove('a')?.cid).toBe('a');
    expect(o.remove('a')).toBeUndefined();
    expect(o.forConversation('cnv_1').map((e) => e.cid)).toEqual(['b']);
  });

  it('assigns a conversation to the entries written before there was one', () => {
    const o = new Outbox();
    o.add(entry('a', null));
    o.add(entry('b', 'cnv_0'));
    o.add(entry('c', null));
    expect(o.assign('cnv_9')).toBe(true);
    expect(o.all().map((e) => e.conv)).toEqual(['cnv_9', 'cnv_0', 'cnv_9']);
    expect(o.assign('cnv_9')).toBe(false);
  });

  it('restores a saved outbox (a reload in the same tab), old format included, and ignores junk', () => {
    const o = new Outbox();
    const saved = JSON.parse(
      JSON.stringify([
        { ...entry('r1', null), state: 'sending' },
        { ...entry('r2'), failed: 'attachment not found' }, // saved before the shared client
        { ...entry('r3'), state: 'failed', code: 'forbidden', error: 'no' },
        { cid: 5, body: 'junk' },
        null,
        { cid: 'r4', kind: 'exe', body: '' },
      ]),
    );
    expect(o.restore(saved)).toBe(true);
    expect(o.restore(saved)).toBe(false); // twice: no duplicates
    expect(o.restore('nonsense')).toBe(false);
    expect(o.all().map((e) => [e.cid, e.conv, e.state, e.error])).toEqual([
      ['r1', null, 'sending', undefined],
      ['r2', 'cnv_1', 'failed', 'attachment not found'],
      ['r3', 'cnv_1', 'failed', 'no'],
    ]);
  });
});

describe('sendFrame', () => {
  it('carries attachment ids only, and no conv until there is one', () => {
    const e: OutboxEntry = {
      ...entry('x', 'c'),
      kind: 'image',
      body: '',
      attachments: [{ id: 'att_1', name: 'a.png', mime: 'image/png', size: 3, url: '/u' }],
      state: 'sending',
    };
    expect(sendFrame(e)).toEqual({
      t: 'send',
      cid: 'x',
      conv: 'c',
      kind: 'image',
      body: '',
      attachments: [{ id: 'att_1' }],
    });
    expect(sendFrame({ ...entry('y', null), state: 'sending' })).toEqual({
      t: 'send',
      cid: 'y',
      kind: 'text',
      body: 'y',
    });
  });
});

describe('newClientId', () => {
  it('is random enough not to collide', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClientId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
  });
});
