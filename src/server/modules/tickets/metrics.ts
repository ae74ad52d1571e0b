/**
 * Ticket-flow metrics, so monitoring can tell when "the ticket system cannot flow" (a P2 fault).
 * The backlog and the status changes carry a `workspace` label (the workspace's slug): the built-in
 * rule TicketsNotFlowing aggregates `by (workspace)`, so one busy merchant cannot mask a stuck one.
 */
import { Counter, Gauge } from 'prom-client';
import type { Services } from '../../context.ts';
import type { ModuleListener } from '../../module.ts';
import { getWorkspace, listWorkspaces } from '../workspaces/index.ts';
import { own } from './schema.ts';

const unsolved = ['new', 'open', 'pending', 'on_hold'];

type Counters = {
  created: Counter<'channel'>;
  transitions: Counter<'workspace' | 'from' | 'to'>;
  solved: Counter;
  breaches: Counter<'target'>;
};

/** The counters of this registry (created once per registry; the listeners below count into them). */
function counters(s: Services): Counters {
  const r = s.metrics;
  const get = <T>(name: string) => r.getSingleMetric(name) as T | undefined;
  return {
    created:
      get<Counter<'channel'>>('kefu_tickets_created_total') ??
      new Counter({
        name: 'kefu_tickets_created_total',
        help: 'Tickets created, by channel',
        labelNames: ['channel'],
        registers: [r],
      }),
    transitions:
      get<Counter<'workspace' | 'from' | 'to'>>('kefu_ticket_transitions_total') ??
      new Counter({
        name: 'kefu_ticket_transitions_total',
        help: 'Ticket status changes, by workspace (slug), from and to',
        labelNames: ['workspace', 'from', 'to'],
        registers: [r],
      }),
    solved:
      get<Counter>('kefu_tickets_solved_total') ??
      new Counter({ name: 'kefu_tickets_solved_total', help: 'Tickets solved', registers: [r] }),
    breaches:
      get<Counter<'target'>>('kefu_sla_breaches_total') ??
      new Counter({
        name: 'kefu_sla_breaches_total',
        help: 'SLA targets breached, by target',
        labelNames: ['target'],
        registers: [r],
      }),
  };
}

export function registerTicketMetrics(s: Services): void {
  const r = s.metrics;
  if (r.getSingleMetric('kefu_tickets_backlog')) return;
  counters(s);
  new Gauge({
    name: 'kefu_tickets_backlog',
    help: 'Tickets by workspace (slug) and status, merged ones excluded',
    labelNames: ['workspace', 'status'],
    registers: [r],
    // From the counts the database keeps with every ticket change: a scrape reads a few rows.
    async collect() {
      const [rows, workspaces] = await Promise.all([
        own(s.db)
          .selectFrom('ticket_status_counts')
          .select(['workspace_id', 'status', (eb) => eb.fn.sum<number>('n').as('n')])
          .groupBy(['workspace_id', 'status'])
          .execute(),
        listWorkspaces(s),
      ]);
      const slugs = new Map(workspaces.map((w) => [w.id, w.slug]));
      this.reset();
      for (const row of rows) {
        const workspace = slugs.get(row.workspace_id);
        if (workspace) this.set({ workspace, status: row.status }, Number(row.n));
      }
    },
  });
  new Gauge({
    name: 'kefu_tickets_oldest_open_age_seconds',
    help: 'Age of the oldest unsolved ticket (0 when none): a stuck flow shows as steady growth',
    registers: [r],
    // One probe of tickets_open_age_idx per unsolved status (merged tickets are closed, so never here).
    async collect() {
      const oldest = await Promise.all(
        unsolved.map(
          async (status) =>
            (
              await own(s.db)
                .selectFrom('tickets')
                .select('created_at')
                .where('status', '=', status)
                .orderBy('created_at')
                .limit(1)
                .executeTakeFirst()
            )?.created_at,
        ),
      );
      const first = oldest.filter((x): x is string => !!x).sort()[0];
      this.set(first ? Math.max(0, (s.clock.now().getTime() - Date.parse(first)) / 1000) : 0);
    },
  });
}

// Workspace slugs by id (a slug never changes): the counting listener labels every status change.
const slugs = new Map<string, string>();
async function slugOf(s: Services, workspaceId: string): Promise<string> {
  let slug = slugs.get(workspaceId);
  if (!slug) {
    slug = (await getWorkspace(s, workspaceId)).slug;
    if (slugs.size >= 10_000) slugs.clear();
    slugs.set(workspaceId, slug);
  }
  return slug;
}

/** Counting listeners: they run once per event on whichever node delivers it. */
export const metricListeners: ModuleListener[] = [
  {
    name: 'count_created',
    on: ['ticket.created'],
    handle: async (e, s) =>
      void counters(s).created.inc({ channel: String((e.data as { channel?: string }).channel ?? 'unknown') }),
  },
  {
    name: 'count_transitions',
    on: ['ticket.updated'],
    handle: async (e, s) => {
      const st = (e.data as Record<string, { from: unknown; to: unknown }>).status;
      if (!st) return;
      const workspace = await slugOf(s, e.workspaceId);
      counters(s).transitions.inc({ workspace, from: String(st.from), to: String(st.to) });
      if (st.to === 'solved') counters(s).solved.inc();
    },
  },
  {
    name: 'count_breaches',
    on: ['sla.breached'],
    handle: async (e, s) => void counters(s).breaches.inc({ target: String((e.data as { target: string }).target) }),
  },
];
