/** Live hot questions: the top questions of the last 15 minutes and of today (workspace zone). */
import type { LiveHotQuestions } from '../../../shared/reports-api.ts';
import type { Services } from '../../context.ts';
import { localDayOf, localToInstant } from '../../lib/time/zoned-time.ts';
import { clustererOf, hotQuestions } from './hot-questions.ts';
import { loadFirstMessages, loadKnowledge, loadWorkspaceZone } from './inputs.ts';

export async function liveHotQuestions(
  s: Pick<Services, 'db' | 'clock'>,
  workspaceId: string,
): Promise<LiveHotQuestions> {
  const now = s.clock.now().getTime();
  const zone = (await loadWorkspaceZone(s.db, workspaceId)) ?? 'Asia/Shanghai';
  const dayStart = localToInstant(zone, localDayOf(zone, now), 0);
  const [today, knowledge] = await Promise.all([
    loadFirstMessages(s.db, workspaceId, dayStart, now + 1),
    loadKnowledge(s.db, workspaceId),
  ]);
  const cluster = clustererOf(knowledge);
  const recent = today.filter((a) => a.at >= now - 15 * 60_000);
  const top = (xs: typeof today) =>
    hotQuestions(xs, [], cluster, 10).map((h) => ({ label: h.label, count: h.count, share: h.share }));
  return { last15m: top(recent), today: top(today), asOf: new Date(now).toISOString() };
}
