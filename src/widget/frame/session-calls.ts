/**
 * Calls the panel makes with the shopper's session besides chatting: the rating card's
 * (ui/csat-card.tsx) and a bot answer's "useful / not useful". Kept out of controller.ts (size).
 */
import type { CsatAnswer } from '../../shared/csat-card.ts';
import type { PageInfo } from '../bridge.ts';
import type { WidgetApi } from './api.ts';
import type { SessionKeeper } from './session.ts';

export function sessionCalls(of: () => { api: WidgetApi; sessions: SessionKeeper | null }) {
  const api = () => of().api;
  const sessions = () => of().sessions;
  const token = async () => (await sessions()!.ensure()).token;
  let reported = '';
  return {
    /** Tells the agents which page the shopper is on (only with a session: a visitor who never chats is not recorded). */
    async reportContext(page: PageInfo | null): Promise<void> {
      const current = sessions()?.session?.token;
      if (!page || !current || reported === `${current}|${page.url}`) return;
      reported = `${current}|${page.url}`;
      let timeZone: string | undefined;
      try {
        timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      } catch {
        timeZone = undefined;
      }
      await api()
        .context({ ...page, ...(timeZone ? { timeZone } : {}), language: navigator.language }, current)
        .catch(() => {
          reported = '';
        });
    },
    csat: {
      load: async (requestId: string) => api().csat(requestId, await token()),
      rate: async (requestId: string, answer: CsatAnswer) => api().rate(requestId, answer, await token()),
    },
    /** The shopper's "useful / not useful" on a bot answer; false when it could not be recorded. */
    async rateAnswer(messageId: string, useful: boolean): Promise<boolean> {
      const current = sessions()?.session?.token;
      if (!current) return false;
      try {
        await api().rateAnswer(messageId, useful, current);
        return true;
      } catch {
        return false;
      }
    },
  };
}
