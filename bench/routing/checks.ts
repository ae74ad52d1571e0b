/**
 * The routing benchmark's correctness figures, read from the server's SQLite database after the run:
 * - outOfOrder / neverAssigned from routing's items (as the in-process mode: among items of equal
 *   priority, first assignment follows arrival);
 * - doubleAssignments / overCapacity by replaying the outbox's `conversation.updated` events in
 *   commit order (`seq`; on SQLite one writer, so seq order is commit order): a conversation
 *   given to an agent while an agent holds it is a double assignment; an agent holding more than
 *   their chat capacity at any point is over capacity (counted once per agent).
 */
import { DatabaseSync } from 'node:sqlite';

export type Checks = {
  items: number;
  outOfOrder: number;
  neverAssigned: number;
  assignments: number;
  resolutions: number;
  doubleAssignments: number;
  overCapacity: number;
  /** The most chats one agent held at once (≤ capacity when overCapacity is 0). */
  maxHeld: number;
};

type Change = { from: string | null; to: string | null };

/**
 * Items in queue order (priority, then arrival): how many were first assigned before one ahead of
 * them (outOfOrder), and how many never were.
 */
export function assignmentOrder(items: readonly { first_assigned_at: string | null }[]): {
  outOfOrder: number;
  neverAssigned: number;
} {
  let outOfOrder = 0;
  let latest = '';
  for (const r of items) {
    if (!r.first_assigned_at) continue;
    if (r.first_assigned_at < latest) outOfOrder++;
    else latest = r.first_assigned_at;
  }
  return { outOfOrder, neverAssigned: items.filter((r) => !r.first_assigned_at).length };
}

export function checkDatabase(file: string, workspaceId: string): Checks {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const items = db
      .prepare(
        `select id, arrived_at, first_assigned_at from routing_items
         where workspace_id = ? and kind = 'chat' order by priority desc, arrived_at, id`,
      )
      .all(workspaceId) as { id: string; arrived_at: string; first_assigned_at: string | null }[];
    const { outOfOrder, neverAssigned } = assignmentOrder(items);

    const capacity = new Map(
      (
        db.prepare('select user_id, capacity_chat from routing_agents where workspace_id = ?').all(workspaceId) as {
          user_id: string;
          capacity_chat: number;
        }[]
      ).map((a) => [a.user_id, a.capacity_chat]),
    );
    const events = db
      .prepare(
        `select aggregate, payload from outbox where type = 'conversation.updated' and workspace_id = ? order by seq`,
      )
      .all(workspaceId) as { aggregate: string; payload: string }[];
    const holder = new Map<string, string>();
    const load = new Map<string, number>();
    const over = new Set<string>();
    let assignments = 0;
    let resolutions = 0;
    let doubleAssignments = 0;
    let maxHeld = 0;
    const release = (conv: string) => {
      const a = holder.get(conv);
      if (!a) return;
      holder.delete(conv);
      load.set(a, (load.get(a) ?? 1) - 1);
    };
    for (const e of events) {
      const conv = e.aggregate.replace(/^conversation:/, '');
      const data = (JSON.parse(e.payload) as { data: { assignee?: Change; status?: Change } }).data;
      if (data.assignee) {
        if (data.assignee.to) {
          assignments++;
          if (holder.has(conv) && holder.get(conv) !== data.assignee.from) doubleAssignments++;
          release(conv);
          const a = data.assignee.to;
          holder.set(conv, a);
          const n = (load.get(a) ?? 0) + 1;
          load.set(a, n);
          maxHeld = Math.max(maxHeld, n);
          if (n > (capacity.get(a) ?? Infinity)) over.add(a);
        } else release(conv);
      }
      if (data.status?.to === 'resolved') {
        resolutions++;
        release(conv);
      }
    }
    return {
      items: items.length,
      outOfOrder,
      neverAssigned,
      assignments,
      resolutions,
      doubleAssignments,
      overCapacity: over.size,
      maxHeld,
    };
  } finally {
    db.close();
  }
}
