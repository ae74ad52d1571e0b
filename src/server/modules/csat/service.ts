/**
 * Asking and rating. A request is made when a conversation is resolved or a ticket solved (the
 * listeners), or by an agent by hand; it names the agent, inbox and customer of that moment and
 * carries the survey as it was. The shopper answers it once: in the widget (a card in the chat,
 * posted as a system message after the request's commit) or through a signed, expiring link.
 */
import type { CsatSettings, RateBody } from '../../../shared/csat-api.ts';
import { csatMarker } from '../../../shared/csat-card.ts';
import { publish, unitOfWork, type Scope, type Services } from '../../context.ts';
import type { Executor } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import { commitMessage, getConversationRow } from '../conversations/index.ts';
import { getTicket, systemWho } from '../tickets/index.ts';
import { own, type CsatRequestsTable } from './schema.ts';
import { settingsFor } from './settings.ts';

export type SubjectType = 'conversation' | 'ticket';
export type Subject = { type: SubjectType; id: string };
export const cardJob = 'csat.post_card';

type Target = {
  conversationId: string | null;
  inboxId: string | null;
  customerId: string | null;
  agentId: string | null;
};

async function targetOf(s: Services, workspaceId: string, subject: Subject): Promise<Target> {
  if (subject.type === 'conversation') {
    const c = await getConversationRow(s, workspaceId, subject.id);
    return { conversationId: c.id, inboxId: c.inbox_id, customerId: c.customer_id, agentId: c.assignee_id };
  }
  const t = await getTicket(s, systemWho(workspaceId), subject.id);
  let inboxId: string | null = null;
  if (t.conversationId) inboxId = (await getConversationRow(s, workspaceId, t.conversationId)).inbox_id;
  return { conversationId: t.conversationId, inboxId, customerId: t.customerId, agentId: t.assigneeId };
}

/** 404 unless the conversation or ticket is the workspace's. */
export async function assertSubject(s: Services, workspaceId: string, subject: Subject): Promise<void> {
  await targetOf(s, workspaceId, subject);
}

/**
 * Asks the subject's shopper for a rating (in the caller's unit of work, or its own). Automatic
 * requests (`byHand` null) are skipped where the survey is off; by hand they are refused then.
 * Earlier unanswered requests of the subject are retired: only the newest card or link counts.
 */
export async function askForRating(
  scope: Services & Scope,
  workspaceId: string,
  subject: Subject,
  byHand: string | null,
): Promise<CsatRequestsTable | null> {
  return unitOfWork(scope, async (s) => {
    const target = await targetOf(s, workspaceId, subject);
    const survey = await settingsFor(s, workspaceId, target.inboxId);
    const off = !survey.enabled || (subject.type === 'ticket' && !survey.askOnTickets);
    if (off || !target.customerId) {
      if (!byHand) return null;
      throw new AppError(
        409,
        off ? 'csat_disabled' : 'csat_no_customer',
        off ? 'ratings are switched off for this inbox' : 'there is no shopper to ask',
      );
    }
    const now = s.clock.now();
    const db = own(s.db);
    await db
      .updateTable('csat_requests')
      .set({ superseded_at: now.toISOString() })
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .where('rated_at', 'is', null)
      .where('superseded_at', 'is', null)
      .execute();
    const row: CsatRequestsTable = {
      id: newId('csr'),
      workspace_id: workspaceId,
      subject_type: subject.type,
      subject_id: subject.id,
      conversation_id: target.conversationId,
      inbox_id: target.inboxId,
      customer_id: target.customerId,
      agent_id: target.agentId,
      survey: JSON.stringify(survey),
      requested_by: byHand,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + survey.linkTtlHours * 3600_000).toISOString(),
      superseded_at: null,
      rated_at: null,
      score: null,
      comment: null,
      answers: null,
      via: null,
    };
    await db.insertInto('csat_requests').values(row).execute();
    await publish(s, 'csat.requested', workspaceId, subject.type, subject.id, {
      subjectType: subject.type,
      subjectId: subject.id,
      byHand: !!byHand,
    });
    if (row.conversation_id)
      // The card is a chat message, which only the chat writer commits (never inside a unit of
      // work): a job posts it after this commit, durably (a resend of its client id is not stored
      // twice). A request made outside a unit of work posts it at once too (`askAndPost`).
      await enqueue(s.db, s.clock, {
        type: cardJob,
        workspaceId,
        payload: { requestId: row.id },
        uniqueKey: `csat-card:${row.id}`,
      });
    return row;
  });
}

/** A request by hand (a route, outside any unit of work): the card goes out at once, the job is the fallback. */
export async function askAndPost(scope: Services & Scope, workspaceId: string, subject: Subject, byHand: string) {
  const row = (await askForRating(scope, workspaceId, subject, byHand))!;
  await postCard(scope, row).catch((err: unknown) => scope.log.warn({ err }, 'csat card not posted; the job retries'));
  return row;
}

/** Posts the request's card into its conversation (idempotent: one client id per request). */
export async function postCard(s: Services, row: Pick<CsatRequestsTable, 'id' | 'workspace_id' | 'conversation_id'>) {
  if (!row.conversation_id) return;
  await commitMessage(s, {
    id: newId('msg'),
    workspaceId: row.workspace_id,
    conversationId: row.conversation_id,
    clientId: `csat-${row.id}`,
    senderType: 'system',
    senderId: 'csat',
    senderName: null,
    kind: 'system',
    body: csatMarker(row.id),
    attachments: [],
    createdAt: s.clock.now().toISOString(),
  });
}

/** The job: posts the card unless the request was answered (by a link), replaced or has expired meanwhile. */
export async function postCardJob(s: Services, requestId: string): Promise<void> {
  const row = await own(s.db).selectFrom('csat_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (row && stateOf(row, s.clock.now()) === 'open') await postCard(s, row);
}

/** A request by id (any workspace: callers check who may see it). */
export async function requestRow(s: { db: Executor }, id: string): Promise<CsatRequestsTable> {
  const row = await own(s.db).selectFrom('csat_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError(404, 'csat_not_found', 'no such rating request');
  return row;
}

export type RequestState = 'open' | 'rated' | 'expired' | 'superseded';
export function stateOf(row: CsatRequestsTable, now: Date): RequestState {
  if (row.rated_at) return 'rated';
  if (row.superseded_at) return 'superseded';
  return row.expires_at <= now.toISOString() ? 'expired' : 'open';
}

const refusals: Record<Exclude<RequestState, 'open'>, AppError> = {
  rated: new AppError(409, 'csat_already_rated', 'this has already been rated'),
  expired: new AppError(410, 'csat_expired', 'this rating request has expired'),
  superseded: new AppError(410, 'csat_superseded', 'a newer rating request replaced this one'),
};

/** Answers to the survey's extra questions: only its question ids, each of its kind. */
function checkAnswers(survey: CsatSettings, answers: RateBody['answers']): void {
  for (const [id, value] of Object.entries(answers)) {
    const q = survey.questions.find((x) => x.id === id);
    if (!q) throw new AppError(400, 'invalid_input', `no question "${id}" in this survey`);
    if ((q.kind === 'yes_no') !== (typeof value === 'boolean'))
      throw new AppError(400, 'invalid_input', `question "${id}" takes ${q.kind === 'yes_no' ? 'yes or no' : 'text'}`);
  }
}

export const surveyOf = (row: CsatRequestsTable): CsatSettings => JSON.parse(row.survey) as CsatSettings;

/**
 * Stores the rating of a request, once. `findRow` loads it (and checks who may rate it) inside
 * the transaction; the compare-and-set on `rated_at IS NULL` decides a race between two answers.
 */
export async function rate(
  scope: Scope,
  findRow: (s: Scope) => Promise<CsatRequestsTable>,
  body: RateBody,
  via: 'widget' | 'link',
): Promise<CsatRequestsTable> {
  return unitOfWork(scope, async (s) => {
    const row = await findRow(s);
    const now = s.clock.now();
    const state = stateOf(row, now);
    if (state !== 'open') throw refusals[state];
    const survey = surveyOf(row);
    checkAnswers(survey, body.answers);
    const set = {
      rated_at: now.toISOString(),
      score: body.score,
      comment: body.comment || null,
      answers: JSON.stringify(body.answers),
      via,
    };
    const done = await own(s.db)
      .updateTable('csat_requests')
      .set(set)
      .where('id', '=', row.id)
      .where('rated_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw refusals.rated;
    await publish(s, 'csat.rated', row.workspace_id, row.subject_type, row.subject_id, {
      subjectType: row.subject_type as SubjectType,
      subjectId: row.subject_id,
      requestId: row.id,
      score: body.score,
      scale: survey.scale,
      agentId: row.agent_id,
      inboxId: row.inbox_id,
      customerId: row.customer_id,
      hasComment: !!body.comment,
      via,
    });
    return { ...row, ...set };
  });
}

/** Rates a request as its shopper would (the demo seed, tests): the same checks as the widget and the link. */
export async function rateRequest(scope: Scope, requestId: string, body: RateBody, via: 'widget' | 'link') {
  return rate(scope, (s) => requestRow(s, requestId), body, via);
}
