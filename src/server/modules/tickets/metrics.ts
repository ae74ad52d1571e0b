/** Ticket-flow metrics, so monitoring can tell when "the ticket system cannot flow" (a P2 fault). */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Services } from '../../context.ts';
import type { Events } from '../../lib/events.ts';

export function registerTicketMetrics(s: Services, events: Events): void {
  const r: Registry = s.metrics;
  if (r.getSingleMetric('kefu_tickets_created_total')) return;
  const created = new Counter({
    name: 'kefu_tickets_created_total',
    help: 'Tickets created, by channel',
    labelNames: ['channel'],
    registers: [r],
  });
  const transitions = new Counter({
    name: 'kefu_ticket_transitions_total',
    help: 'Ticket status changes, by from and to',
    labelNames: ['from', 'to'],
    registers: [r],
  });
  const solved = new Counter({ name: 'kefu_tickets_solved_total', help: 'Tickets solved', registers: [r] });
  const breaches = new Counter({
    name: 'kefu_sla_breaches_total',
    help: 'SLA targets breached, by target',
    labelNames: ['target'],
    registers: [r],
  });
  new Gauge({
    name: 'kefu_tickets_backlog',
    help: 'Tickets by status (all workspaces), merged ones excluded',
    labelNames: ['status'],
    registers: [r],
    async collect() {
      const rows = await s.db
        .selectFrom('tickets')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('merged_into_id', 'is', null)
        .groupBy('status')
        .execute();
      this.reset();
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'kefu_tickets_oldest_open_age_seconds',
    help: 'Age of the oldest unsolved ticket (0 when none): a stuck flow shows as steady growth',
    registers: [r],
    async collect() {
      const row = await s.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.min('created_at').as('oldest'))
        .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
        .where('merged_into_id', 'is', null)
        .executeTakeFirst();
      this.set(row?.oldest ? Math.max(0, (s.clock.now().getTime() - Date.parse(String(row.oldest))) / 1000) : 0);
    },
  });
  events.on('ticket.created', (e) => void created.inc({ channel: String(e.data.channel ?? 'unknown') }));
  events.on('ticket.updated', (e) => {
    const st = e.data.status as { from: string; to: string } | undefined;
    if (!st) return;
    transitions.inc({ from: st.from, to: st.to });
    if (st.to === 'solved') solved.inc();
  });
  events.on('sla.breached', (e) => void breaches.inc({ target: String(e.data.target) }));
}
