/**
 * Who is online per workspace: distinct agents (users) and shoppers (customers) with at least one
 * open socket on this node, kept as sockets open and close so a /metrics scrape counts nothing.
 * Two tabs of one agent are one agent online.
 */
import type { Services } from '../context.ts';
import { getWorkspace } from '../modules/workspaces/index.ts';

type Kind = 'agent' | 'customer';
type Counts = Record<Kind, Map<string, number>>;

export class OnlineCounts {
  private readonly byWorkspace = new Map<string, Counts>();
  private readonly slugs = new Map<string, string>();
  private readonly s: Pick<Services, 'db'>;

  constructor(s: Pick<Services, 'db'>) {
    this.s = s;
  }

  /** A workspace's slug (it never changes), remembered: a scrape reads the database once per workspace. */
  async slugOf(workspaceId: string): Promise<string> {
    let slug = this.slugs.get(workspaceId);
    if (slug === undefined) this.slugs.set(workspaceId, (slug = (await getWorkspace(this.s, workspaceId)).slug));
    return slug;
  }

  add(c: { workspaceId: string; kind: Kind; sender: { id: string } }): void {
    let w = this.byWorkspace.get(c.workspaceId);
    if (!w) this.byWorkspace.set(c.workspaceId, (w = { agent: new Map(), customer: new Map() }));
    w[c.kind].set(c.sender.id, (w[c.kind].get(c.sender.id) ?? 0) + 1);
  }

  remove(c: { workspaceId: string; kind: Kind; sender: { id: string } }): void {
    const w = this.byWorkspace.get(c.workspaceId);
    const n = w?.[c.kind].get(c.sender.id);
    if (!w || !n) return;
    if (n > 1) w[c.kind].set(c.sender.id, n - 1);
    else w[c.kind].delete(c.sender.id);
    if (!w.agent.size && !w.customer.size) this.byWorkspace.delete(c.workspaceId);
  }

  /** Workspaces with someone online: distinct agents and shoppers. */
  perWorkspace(): { workspaceId: string; agents: number; shoppers: number }[] {
    return [...this.byWorkspace].map(([workspaceId, w]) => ({
      workspaceId,
      agents: w.agent.size,
      shoppers: w.customer.size,
    }));
  }
}
