import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxIdChars, maxMessageChars } from './protocol.ts';
import { ClientFrame, fastSendFrame } from './schema.ts';

/** Values a frame's field might hold on the wire: each field's valid values, lengths at and past the limits, other types. */
const id = fc.oneof(
  fc.constantFrom('', 'c', 'x'.repeat(maxIdChars), 'x'.repeat(maxIdChars + 1)),
  fc.string({ maxLength: 4 }),
);
const other = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ weight: 4, arbitrary: valid }, other), { nil: undefined });
/** Objects shaped like send frames, mostly valid ones: every field absent, valid, at a limit, or of another type. */
const frame = fc
  .record({
    t: fc.oneof({ weight: 9, arbitrary: fc.constant('send') }, fc.constantFrom('ping', 'sub', 'x')),
    cid: field(id),
    conv: field(id),
    kind: field(fc.constantFrom('text', 'note', 'image', 'file', 'system', '')),
    body: field(
      fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom('y'.repeat(maxMessageChars), 'y'.repeat(maxMessageChars + 1)),
      ),
    ),
    attachments: fc.option(fc.constantFrom([], [{ id: 'att_1' }], [{}]), { nil: undefined, freq: 4 }),
    extra: fc.option(fc.constantFrom('other', '__proto__'), { nil: undefined, freq: 6 }),
  })
  .map(({ extra, ...o }) => {
    const json = JSON.stringify(o); // absent fields drop out, as on the wire
    return JSON.parse(extra ? `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"${extra}":1}` : json) as unknown;
  });

describe('fastSendFrame', () => {
  it('returns exactly what the zod schema returns, or leaves the frame to it', () => {
    fc.assert(
      fc.property(frame, (raw) => {
        const fast = fastSendFrame(raw);
        const zod = ClientFrame.safeParse(raw);
        if (fast !== undefined) {
          expect(zod.success).toBe(true);
          expect(fast).toStrictEqual(zod.data);
        } else if (zod.success && zod.data.t === 'send' && !('attachments' in (raw as object))) {
          throw new Error(`a plain send zod accepts was left to zod: ${JSON.stringify(raw)}`);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('takes the common frames and refuses what zod refuses', () => {
    expect(fastSendFrame({ t: 'send', cid: 'c1', body: 'hi' })).toStrictEqual({
      t: 'send',
      cid: 'c1',
      kind: 'text',
      body: 'hi',
    });
    expect(fastSendFrame({ t: 'send', cid: 'c1', conv: 'cnv_1', kind: 'note', body: '' })).toStrictEqual({
      t: 'send',
      cid: 'c1',
      conv: 'cnv_1',
      kind: 'note',
      body: '',
    });
    for (const bad of [
      { t: 'send', body: 'no cid' },
      { t: 'send', cid: '', body: 'x' },
      { t: 'send', cid: 'c', kind: 'system', body: 'x' },
      { t: 'send', cid: 'c', body: 'x'.repeat(maxMessageChars + 1) },
      { t: 'send', cid: 'c', conv: '', body: 'x' },
      { t: 'send', cid: 'c', body: 'x', extra: 1 },
      { t: 'send', cid: 'c', body: 'x', attachments: [] }, // valid, but zod's to check
      { t: 'ping' },
      null,
      'send',
    ])
      expect(fastSendFrame(bad)).toBeUndefined();
  });
});
