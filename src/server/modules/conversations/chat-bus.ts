import type { Message } from '../../../shared/realtime/protocol.ts';

/** The bus channel of chat traffic; every gateway filters it for its own connections. */
export const chatChannel = 'chat';
export type ChatBusMessage =
  /**
   * `prevPublic`: the message's `prev` for shoppers (see ChatMessage); agents' is seq − 1.
   * `src`: the sender's connection, which gets the ack instead of the message (no echo).
   */
  | { k: 'msg'; ws: string; m: Message; prevPublic: number | null; src?: string }
  | { k: 'typing'; ws: string; conv: string; from: 'agent' | 'customer'; name: string | null; on: boolean; src: string }
  | { k: 'read'; ws: string; conv: string; by: 'agent' | 'customer'; seq: number }
  | { k: 'conv'; ws: string; id: string };
