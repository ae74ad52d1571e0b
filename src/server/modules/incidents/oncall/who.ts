/**
 * "Who is on call now / next" for an escalation policy: the people the policy's rotation steps
 * would call, and when the shift changes. Shown on the incident page and the ops overview; the
 * roster maths is listOnCall's (one computation for every place that shows it).
 */
import type { Services } from '../../../context.ts';
import { escalationPolicyOf, listOnCall } from './service.ts';

export type OnCallPerson = { userId: string | null; name: string | null; start: string; end: string };
export type PolicyOnCall = {
  promotion: string | null;
  rotations: { id: string; name: string; kind: string; now: OnCallPerson | null; next: OnCallPerson | null }[];
};

/**
 * The rotations the workspace's escalation policy notifies (in step order; inside a promotion
 * window a normal rotation gives way to the promotion roster, as the escalation itself does), or
 * the active rotations when the policy names none. `now` is null in a gap with nobody on call.
 */
export async function onCallForPolicy(s: Pick<Services, 'db' | 'clock'>, workspaceId: string): Promise<PolicyOnCall> {
  const all = await listOnCall(s, workspaceId, 3);
  const policy = await escalationPolicyOf(s, workspaceId);
  const named = (policy?.steps ?? []).flatMap((st) => st.notify.flatMap((t) => (t.type === 'rotation' ? [t.id] : [])));
  const swap = (r: (typeof all.rotations)[number]) =>
    r.kind === 'normal' && all.promotion ? (all.rotations.find((x) => x.kind === 'promotion') ?? r) : r;
  const picked = named.length
    ? named.flatMap((id) => all.rotations.filter((r) => r.id === id)).map(swap)
    : all.rotations.filter((r) => r.active);
  const now = s.clock.now().getTime();
  const person = (x: (typeof picked)[number]['shifts'][number] | undefined): OnCallPerson | null =>
    x ? { userId: x.userId, name: x.name, start: x.start, end: x.end } : null;
  return {
    promotion: all.promotion,
    rotations: [...new Map(picked.map((r) => [r.id, r])).values()].map((r) => {
      const current = r.shifts.find((x) => Date.parse(x.start) <= now && now < Date.parse(x.end));
      const later = r.shifts.find((x) => Date.parse(x.start) > now && x.userId);
      return {
        id: r.id,
        name: r.name,
        kind: r.kind,
        now: current?.userId ? person(current) : null,
        next: person(later),
      };
    }),
  };
}
