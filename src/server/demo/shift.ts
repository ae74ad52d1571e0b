/**
 * Today's shift, so the team looks alive after `npm start` (not "offline for 36 days", "never
 * signed in"): each agent signed in this morning and was last active an hour or two ago; the war
 * room lists them (capacity and skills, for skill routing) offline since then.
 */
import type { Services } from '../context.ts';
import { touchPresence } from '../modules/users/index.ts';
import { demoAgents, demoRouting, type AgentKey } from './content.ts';
import type { Api } from './seed.ts';

const minute = 60_000;
const hour = 60 * minute;

export async function lastShift(
  ss: Services,
  api: Api,
  /** Sets the seed's clock that many ms before the real now. */
  back: (ms: number) => void,
  signIn: (email: string, password: string) => Promise<Api>,
  agents: Map<AgentKey, { id: string; name: string }>,
  passwords: Map<string, string>,
): Promise<void> {
  for (const [i, r] of demoRouting.entries()) {
    const id = agents.get(r.key)!.id;
    const agent = demoAgents.find((a) => a.key === r.key);
    const password = agent && passwords.get(agent.email);
    if (agent && password) {
      back(8 * hour + i * 25 * minute);
      await (await signIn(agent.email, password)).call('POST', '/api/auth/logout');
    }
    // Offline since the end of their shift: one to three hours ago.
    back((1 + i * 0.6) * hour);
    await touchPresence(ss, [id], ss.clock.now());
    await api.call('PUT', `/api/routing/agents/${id}`, {
      capacityChat: r.capacityChat,
      capacityTicket: r.capacityTicket,
      skills: r.skills,
    });
  }
}
