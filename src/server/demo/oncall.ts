/** The demo's on-call roster (seed.ts calls it once the agents exist). */
import type { AgentKey } from './content.ts';
import type { Api } from './seed.ts';

const day = 86_400_000;

/**
 * The demo's on-call roster, with people: the incidents module seeds the rotation "一线值班" with the
 * owner alone (users are made here); it becomes a weekly day layer (the owner and 陈慧, hand-off
 * Monday 09:00) under a nightly layer "夜班" (22:00–09:00, 周杰 and 林小雨 in turn), and 陈慧 takes
 * over tomorrow afternoon (an override). Times are Asia/Shanghai.
 */
export async function seedOnCall(api: Api, agents: Map<AgentKey, { id: string; name: string }>, now: number) {
  const oncall = await api.call<{ rotations: { id: string; name: string; kind: string }[] }>('GET', '/api/ops/oncall');
  const rotation = oncall.rotations.find((r) => r.kind === 'normal');
  if (!rotation) return;
  const id = (k: AgentKey) => agents.get(k)!.id;
  const startDate = new Date(now - 14 * day + 8 * 3_600_000).toISOString().slice(0, 10);
  await api.call('PUT', `/api/ops/oncall/rotations/${rotation.id}`, {
    name: rotation.name,
    kind: 'normal',
    timezone: 'Asia/Shanghai',
    handoff: 'weekly',
    handoffTime: '09:00',
    handoffWeekday: 0,
    startDate,
    participants: [id('admin'), id('chen')],
    layers: [
      {
        name: '夜班',
        timezone: 'Asia/Shanghai',
        handoff: 'daily',
        handoffTime: '22:00',
        startDate,
        participants: [id('zhou'), id('lin')],
        hours: { start: '22:00', end: '09:00' },
      },
    ],
  });
  // Tomorrow 14:00–20:00 in Shanghai.
  const tomorrow = new Date(now + 8 * 3_600_000 + day).toISOString().slice(0, 10);
  await api.call('POST', `/api/ops/oncall/rotations/${rotation.id}/overrides`, {
    userId: id('chen'),
    start: `${tomorrow}T14:00:00+08:00`,
    end: `${tomorrow}T20:00:00+08:00`,
  });
}
