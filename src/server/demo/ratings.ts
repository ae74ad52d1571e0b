/**
 * What follows a resolution in the demo: the rating request it made (the csat listener dates it at
 * the resolution), its card posted into the chat at that moment — as the worker would have within
 * a second, so the card is not posted at the real now and a month-old conversation does not jump
 * to the top of the inbox — and, for the shoppers who answered, their rating a few minutes later.
 */
import type { Services } from '../context.ts';
import { postRatingCard, rateRequest } from '../modules/csat/index.ts';
import type { DemoRating } from './csat-content.ts';
import type { Api } from './seed.ts';

const minute = 60_000;

export async function afterResolution(
  ss: Services,
  api: Api,
  /** Sets the seed's clock that many ms before the real now. */
  back: (ms: number) => void,
  /** The conversation's or ticket's API path. */
  subject: string,
  /** When it was resolved: ms before the real now (the seed's clock stands there). */
  at: number,
  r: DemoRating | null | undefined,
): Promise<void> {
  const [request] = (await api.call('GET', `${subject}/csat`)).items as { id: string }[];
  if (!request) return;
  await postRatingCard(ss, request.id);
  if (!r) return;
  back(Math.max(0, at - r.afterMinutes * minute));
  await rateRequest(
    ss,
    request.id,
    { score: r.score, comment: r.comment, answers: { solved: r.solved ?? true } },
    'widget',
  );
  back(at);
}
