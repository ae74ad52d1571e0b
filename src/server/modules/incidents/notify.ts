/**
 * Notifying people of an incident: one delivery per message and channel, sent by the jobs
 * worker (`incidents.notify`, retried with exponential back-off); what happened — sent, or
 * finally failed with the reason — is on the incident's timeline, and failures are listed on
 * the ops overview. Messages that ask for action carry a one-click acknowledge link: a random
 * token stored by its SHA-256, single-use, expiring after `ackLinkHours`.
 */
import { unitOfWork, type Services } from '../../context.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import type { Job } from '../../lib/jobs/queue.ts';
import { enqueue } from '../../lib/jobs/queue.ts';
import { newId } from '../../lib/ids.ts';
import type { Language } from '../../lib/language.ts';
import { workspaceLanguage } from '../workspaces/index.ts';
import { incidentWords } from './messages.ts';
import { addTimeline } from './model.ts';
import { allowListOf, guardedPost } from './notifiers/endpoint.ts';
import { notifiers, type NotifierKind, type NotifierMessage, type SendContext } from './notifiers/index.ts';
import { onCallNames } from './oncall/service.ts';
import { own, type IncidentsTable } from './schema.ts';

export const ackLinkHours = 24;
const maxAttempts = 6;
const system = { type: 'system' as const, id: null, name: null };

export type Reason = 'declared' | 'director_engaged' | 'escalation' | 'breach_warning';

export function baseUrl(s: Pick<Services, 'config'>): string {
  return s.config.publicUrl ?? `http://localhost:${s.config.port || 3000}`;
}

/** Creates a one-click acknowledge link for an incident (in the caller's transaction). */
export async function createAckLink(s: Services, incident: IncidentsTable, recipient: string): Promise<string> {
  const token = randomToken(24);
  const now = s.clock.now();
  await own(s.db)
    .insertInto('incident_ack_tokens')
    .values({
      hash: sha256(token),
      incident_id: incident.id,
      workspace_id: incident.workspace_id,
      recipient,
      expires_at: new Date(now.getTime() + ackLinkHours * 3_600_000).toISOString(),
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  return `${baseUrl(s)}/api/ops/ack/${token}`;
}

/**
 * An e-mail to one person about an incident, with their own signed link (single use, 24 h) that
 * works from a phone without signing in: it acknowledges while the incident is triggered, and
 * otherwise opens the incident's state (who acknowledged it) — and the console page. In the
 * workspace's language: `words` gives the subject and the introduction in it.
 */
export async function personMail(
  s: Services,
  incident: IncidentsTable,
  to: string,
  words: (w: (typeof incidentWords)[Language]) => { subject: string; intro: string },
): Promise<{ to: string; subject: string; text: string }> {
  const w = incidentWords[await workspaceLanguage(s, incident.workspace_id)];
  const { subject, intro } = words(w);
  const link = await createAckLink(s, incident, to);
  const signed = `${incident.state === 'triggered' ? w.acknowledge : w.status}${w.colon}${link}`;
  return {
    to,
    subject: `[${incident.severity}] ${subject}`,
    text:
      `${incident.title}\n${w.mailSummary(incident)}\n${intro}\n\n` +
      `${signed}\n${w.openIncident}${w.colon}${baseUrl(s)}/ops/incidents/${incident.id}\n`,
  };
}

/** Queues a message to every enabled channel of the incident's workspace (in the caller's unit of work). */
export async function notifyIncident(s: Services, incident: IncidentsTable, reason: Reason): Promise<number> {
  const channels = await own(s.db)
    .selectFrom('incident_channels')
    .select(['id'])
    .where('workspace_id', '=', incident.workspace_id)
    .where('enabled', '=', 1)
    .execute();
  const now = s.clock.now().toISOString();
  for (const c of channels) {
    const id = newId('idl');
    await own(s.db)
      .insertInto('incident_deliveries')
      .values({
        id,
        workspace_id: incident.workspace_id,
        incident_id: incident.id,
        channel_id: c.id,
        reason,
        status: 'pending',
        attempts: 0,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await enqueue(s.db, s.clock, {
      type: 'incidents.notify',
      payload: { deliveryId: id },
      workspaceId: incident.workspace_id,
      maxAttempts,
      uniqueKey: `incidents.notify:${id}`,
    });
  }
  return channels.length;
}

function messageOf(
  incident: IncidentsTable,
  reason: Reason,
  ackUrl: string | null,
  incidentUrl: string,
  lang: Language,
  onCall: string[],
): NotifierMessage {
  const w = incidentWords[lang];
  const title = `[${incident.severity}] ${w.reasonTitle[reason]} #${incident.number} ${incident.title}`;
  const lines = [
    `**${title}**`,
    `- ${w.severity}${w.colon}${incident.severity}${incident.mode === 'drill' ? w.drill : ''}`,
    `- ${w.state}${w.colon}${w.states[incident.state] ?? incident.state}`,
    `- ${w.declared}${w.colon}${incident.declared_at}`,
    ...(incident.component ? [`- ${w.component}${w.colon}${incident.component}`] : []),
    ...(onCall.length ? [`- ${w.onCall}${w.colon}${onCall.join(', ')}`] : []),
  ];
  return {
    lang,
    title,
    markdown: lines.join('\n'),
    text: lines.map((l) => l.replace(/\*\*/g, '')).join('\n'),
    ackUrl,
    incidentUrl,
    severity: incident.severity,
  };
}

/** How notifiers reach the outside: SSRF-guarded POSTs, the clock, SMTP (also the reports' broadcasts). */
export function sendContext(s: Services): SendContext {
  return {
    post: guardedPost(allowListOf(s.config), s.config.notifierTimeoutMs),
    timeoutMs: s.config.notifierTimeoutMs,
    now: () => s.clock.now(),
    async sendMail(mail) {
      if (!s.config.smtpUrl) throw new Error('no SMTP server is configured (smtpUrl)');
      const { default: nodemailer } = await import('nodemailer');
      await nodemailer.createTransport(s.config.smtpUrl).sendMail({ from: s.config.mailFrom, ...mail });
    },
  };
}

/** The job: one delivery. Throws to be retried; on the last attempt records the failure instead. */
export async function runDelivery(job: Job, s: Services): Promise<void> {
  const { deliveryId } = job.payload as { deliveryId: string };
  const db = own(s.db);
  const d = await db.selectFrom('incident_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
  if (!d || d.status !== 'pending') return;
  const channel = await db
    .selectFrom('incident_channels')
    .selectAll()
    .where('id', '=', d.channel_id)
    .executeTakeFirst();
  const incident = await db
    .selectFrom('incidents')
    .selectAll()
    .where('id', '=', d.incident_id)
    .executeTakeFirstOrThrow();
  const now = () => s.clock.now().toISOString();
  let error: string | null = null;
  if (!channel) error = 'the channel was deleted';
  else {
    try {
      const notifier = notifiers[channel.kind as NotifierKind];
      const config = notifier.config.parse(JSON.parse(s.cipher.decrypt(channel.config)));
      // A link that does not ask for action needs no token; the others get a fresh one per attempt.
      const ackUrl =
        ['declared', 'escalation', 'director_engaged'].includes(d.reason) &&
        ['triggered', 'mitigated'].includes(incident.state)
          ? await createAckLink(s, incident, channel.name)
          : null;
      await notifier.send(
        config,
        messageOf(
          incident,
          d.reason as Reason,
          ackUrl,
          `${baseUrl(s)}/ops/incidents/${incident.id}`,
          await workspaceLanguage(s, incident.workspace_id),
          // Who the incident waits for, while someone has to act on it.
          ['triggered', 'acknowledged', 'mitigated'].includes(incident.state)
            ? await onCallNames(s, incident.workspace_id)
            : [],
        ),
        sendContext(s),
      );
    } catch (err) {
      error = err instanceof Error ? `${err.name === 'TimeoutError' ? 'timed out: ' : ''}${err.message}` : String(err);
    }
  }
  const final = error !== null && (job.attempts >= job.max_attempts || !channel);
  await unitOfWork(s, async (s) => {
    await own(s.db)
      .updateTable('incident_deliveries')
      .set({
        status: error === null ? 'sent' : final ? 'failed' : 'pending',
        attempts: job.attempts,
        last_error: error,
        updated_at: now(),
      })
      .where('id', '=', d.id)
      .execute();
    if (error === null || final)
      await addTimeline(s.db, incident, system, error === null ? 'notification_sent' : 'notification_failed', now(), {
        channel: channel?.name ?? null,
        kind: channel?.kind ?? null,
        reason: d.reason,
        attempts: job.attempts,
        ...(error ? { error } : {}),
      });
  });
  if (error !== null && !final) throw new Error(error);
}
