/**
 * Running an incident's escalation policy. A row per incident says which step is next and when
 * (`next_at`); the worker claims a due row by compare-and-set on (step, round, next_at), so on
 * several nodes each step goes out exactly once. An acknowledgement stops the steps; if it is
 * not followed by mitigation or resolution within `reackMinutes`, the incident re-triggers and
 * the policy starts again. Done incidents leave the policy.
 */
import { publish, unitOfWork, type Services } from '../../../context.ts';
import { queueMail } from '../../../lib/mailer.ts';
import { groupMemberIds } from '../../teams/index.ts';
import { activeMembers } from '../../users/index.ts';
import { addTimeline } from '../model.ts';
import { notifyIncident, personMail } from '../notify.ts';
import { own, type IncidentEscalationsTable, type IncidentsTable } from '../schema.ts';
import { transitionIncident } from '../service.ts';
import { escalationPolicyOf, onCallUser } from './service.ts';

const system = { type: 'system' as const, id: null, name: null };

/**
 * The e-mail a step sends a person: with a one-click acknowledge link of their own (single use,
 * 24 h), naming who the step's rotations have on call now.
 */
export const escalationMail = (s: Services, incident: IncidentsTable, to: string, onCall: string[] = []) =>
  personMail(s, incident, to, (w) => ({
    subject: w.escalationSubject(incident),
    intro: onCall.length ? `${w.escalationIntro}${w.escalationOnCall(onCall.join(', '))}` : w.escalationIntro,
  }));

/** Starts (or restarts) the policy of an incident at its first step, now. */
export async function startEscalation(
  s: Services,
  incident: Pick<IncidentsTable, 'id' | 'workspace_id'>,
): Promise<void> {
  if (!(await escalationPolicyOf(s, incident.workspace_id))) return;
  const now = s.clock.now().toISOString();
  await own(s.db)
    .insertInto('incident_escalations')
    .values({
      incident_id: incident.id,
      workspace_id: incident.workspace_id,
      step: 0,
      round: 0,
      next_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('incident_id').doUpdateSet({ step: 0, round: 0, next_at: now, updated_at: now }))
    .execute();
}

/** After an acknowledgement: look again when it has gone `reackMinutes` without progress. */
export async function scheduleReack(s: Services, incident: Pick<IncidentsTable, 'id' | 'workspace_id'>): Promise<void> {
  const policy = await escalationPolicyOf(s, incident.workspace_id);
  if (!policy?.reackMinutes) return;
  const now = s.clock.now();
  const due = new Date(now.getTime() + policy.reackMinutes * 60_000).toISOString();
  await own(s.db)
    .insertInto('incident_escalations')
    .values({
      incident_id: incident.id,
      workspace_id: incident.workspace_id,
      step: 0,
      round: 0,
      next_at: due,
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('incident_id').doUpdateSet({ next_at: due, updated_at: now.toISOString() }))
    .execute();
}

/** Moves one due escalation row on; returns false when another node had claimed it. */
async function advance(s: Services, row: IncidentEscalationsTable): Promise<boolean> {
  return unitOfWork(s, async (s) => {
    const db = own(s.db);
    const incident = await db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', row.incident_id)
      .executeTakeFirstOrThrow();
    const policy = await escalationPolicyOf(s, row.workspace_id);
    const now = s.clock.now();
    let next: { step: number; round: number; next_at: string | null } = {
      step: row.step,
      round: row.round,
      next_at: null,
    };
    let send = false;
    let retrigger = false;
    if (policy && incident.state === 'triggered') {
      const stepsLeft = row.step < policy.steps.length;
      if (stepsLeft) {
        send = true;
        const wait = policy.steps[row.step].waitMinutes * 60_000;
        const last = row.step + 1 >= policy.steps.length;
        const again = last && row.round < policy.repeat;
        next =
          last && !again
            ? { step: row.step + 1, round: row.round, next_at: null }
            : {
                step: last ? 0 : row.step + 1,
                round: last ? row.round + 1 : row.round,
                next_at: new Date(now.getTime() + wait).toISOString(),
              };
      }
    } else if (policy && incident.state === 'acknowledged' && policy.reackMinutes > 0 && incident.acknowledged_at) {
      const lastAck = await db
        .selectFrom('incident_timeline')
        .select('at')
        .where('incident_id', '=', incident.id)
        .where('type', '=', 'state')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      const due = Date.parse(lastAck?.at ?? incident.acknowledged_at) + policy.reackMinutes * 60_000;
      if (now.getTime() >= due) retrigger = true;
      else next = { step: row.step, round: row.round, next_at: new Date(due).toISOString() };
    }
    const claimed = await db
      .updateTable('incident_escalations')
      .set({ ...next, updated_at: now.toISOString() })
      .where('incident_id', '=', row.incident_id)
      .where('step', '=', row.step)
      .where('round', '=', row.round)
      .where('next_at', '=', row.next_at!)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return false;
    if (retrigger) {
      await transitionIncident(s, incident.workspace_id, incident.id, 'triggered', {
        via: 'escalation',
        note: `acknowledged ${policy!.reackMinutes} min ago without progress`,
        actor: system,
      });
      await startEscalation(s, incident);
      // The first step goes out at once, not a minute later.
      const fresh = await db
        .selectFrom('incident_escalations')
        .selectAll()
        .where('incident_id', '=', incident.id)
        .executeTakeFirst();
      if (fresh) await advance(s, fresh);
      return true;
    }
    if (!send) return true;
    const step = policy!.steps[row.step];
    const userIds: string[] = [];
    const onCallIds: string[] = [];
    for (const t of step.notify) {
      if (t.type === 'user') userIds.push(t.id);
      if (t.type === 'rotation') {
        const u = await onCallUser(s, row.workspace_id, t.id);
        if (u) userIds.push(u);
        if (u) onCallIds.push(u);
      }
      if (t.type === 'group') userIds.push(...(await groupMemberIds(s, row.workspace_id, t.id)));
      if (t.type === 'channels') await notifyIncident(s, incident, 'escalation');
    }
    // A person named twice (on call and in the group) is called once.
    const people = await activeMembers(s, row.workspace_id, [...new Set(userIds)]);
    const onCall = people.filter((p) => onCallIds.includes(p.id)).map((p) => p.name);
    for (const p of people) await queueMail(s, row.workspace_id, await escalationMail(s, incident, p.email, onCall));
    await addTimeline(s.db, incident, system, 'escalated', now.toISOString(), {
      step: row.step + 1,
      round: row.round + 1,
      people: people.map((p) => p.name),
    });
    await publish(s, 'incident.escalated', incident.workspace_id, 'incident', incident.id, {
      number: incident.number,
      title: incident.title,
      step: row.step + 1,
      round: row.round + 1,
      userIds: people.map((p) => p.id),
    });
    return true;
  });
}

/** The worker's scan: every escalation row that is due. */
export async function runDueEscalations(s: Services, limit = 200): Promise<number> {
  const due = await own(s.db)
    .selectFrom('incident_escalations')
    .selectAll()
    .where('next_at', '<=', s.clock.now().toISOString())
    .orderBy('next_at')
    .limit(limit)
    .execute();
  let n = 0;
  for (const row of due) if (await advance(s, row)) n++;
  return n;
}
