/**
 * CSAT module: shoppers rate a resolved conversation or solved ticket (1–5 stars or faces, a
 * comment, optional extra questions) in the widget or through a signed link; ratings per
 * conversation/ticket, agent, inbox and workspace; `csat.rated` for reports and webhooks. See README.md.
 */
import type { KefuModule } from '../../module.ts';
import { csatEvents } from './events.ts';
import { csatListeners } from './listeners.ts';
import { csatRoutes } from './routes.ts';
import { seedCsat } from './seed.ts';
import { cardJob, postCardJob } from './service.ts';

/** For the reports module: the ratings of a period; an agent's figures; a subject's requests. */
export { listRatings, agentCsat, requestsOf, type Rating, type AgentCsat } from './queries.ts';
/** Ask a conversation's or ticket's shopper for a rating (joins the caller's unit of work). */
export { askForRating } from './service.ts';
/** Rate a request as its shopper would (composition: the demo seed; tests). */
export { rateRequest } from './service.ts';
/** Post a request's card into its chat now, unless answered, replaced or expired (the job's work; the demo seed). */
export { postCardJob as postRatingCard } from './service.ts';

export const csatModule: KefuModule = {
  name: 'csat',
  tables: ['csat_settings', 'csat_requests'],
  events: csatEvents,
  permissions: [
    'conversations.read',
    'conversations.manage',
    'tickets.read',
    'tickets.manage',
    'reports.read',
    'settings.manage',
  ],
  routes: csatRoutes,
  listeners: csatListeners,
  seed: seedCsat,
  jobs: {
    [cardJob]: async (job, s) => postCardJob(s, (job.payload as { requestId: string }).requestId),
  },
};
