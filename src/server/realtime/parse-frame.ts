/**
 * A client frame off the wire: JSON text, then the schema (shared/realtime/schema.ts). A `send`
 * without attachments — nearly every frame under load — is checked by hand (`fastSendFrame`,
 * same rules, held to zod's by a property test); everything else, and every invalid frame, goes
 * through zod, which words the error.
 */
import type { RawData } from 'ws';
import type { ClientFrame } from '../../shared/realtime/protocol.ts';
import { ClientFrame as ClientFrameSchema, fastSendFrame } from '../../shared/realtime/schema.ts';

/** The frame, or why it is invalid (`invalid`, with the frame's `cid` when it has a readable one). */
export function parseFrame(data: RawData, isBinary: boolean): ClientFrame | { invalid: string; cid?: string } {
  let raw: unknown;
  try {
    if (isBinary) throw new Error('binary');
    raw = JSON.parse(data.toString());
  } catch {
    return { invalid: 'frames are JSON text' };
  }
  const fast = fastSendFrame(raw);
  if (fast) return fast;
  const parsed = ClientFrameSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const cid = typeof (raw as { cid?: unknown })?.cid === 'string' ? (raw as { cid: string }).cid : undefined;
  return { invalid: `${issue.path.join('.') || 'frame'}: ${issue.message}`, ...(cid ? { cid } : {}) };
}
