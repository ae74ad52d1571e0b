/**
 * Live hot questions: the top questions of the last 15 minutes and of today (the workspace zone's
 * local day); just after midnight the last 15 minutes still include yesterday's last minutes.
 */
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
  // The last 15 minutes may begin yesterday (at 00:05 they reach back to 23:50): read from the earlier start.
  const recentStart = now - 15 * 60_000;
  const [asked, knowledge] = await Promise.all([
    loadFirstMessages(s.db, workspaceId, Math.min(dayStart, recentStart), now + 1),
    loadKnowledge(s.db, workspaceId),
  ]);
  const cluster = clustererOf(knowledge);
  const top = (xs: typeof asked) =>
    hotQuestions(xs, [], cluster, 10).map((h) => ({ label: h.label, count: h.count, share: h.share }));
  return {
    last15m: top(asked.filter((a) => a.at >= recentStart)),
    today: top(asked.filter((a) => a.at >= dayStart)),
    asOf: new Date(now).toISOString(),
  };
}
