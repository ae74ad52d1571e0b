import type { TimelineItem } from '../chat-state.ts';

export type ShownAgent = { name: string; avatar: string };

/**
 * The agent to show in the header: whoever answered last in this chat (the one the shopper is
 * talking to), else the agent the session named when the widget opened; null before anyone has it.
 */
export function currentAgent(timeline: TimelineItem[], fromSession: ShownAgent | null | undefined): ShownAgent | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const item = timeline[i];
    if (item.type !== 'message') continue;
    const { sender } = item.message;
    // An agent without a display name has an empty name: the header says 客服 / Support instead.
    if (sender.type === 'agent' && sender.avatar) return { name: sender.name ?? '', avatar: sender.avatar };
  }
  return fromSession ?? null;
}
