/**
 * Surge mode belongs to routing, which comes after the bot (routing asks the bot whether it answers
 * first): routing registers how to ask whether surge is on, so the bot imports nothing of it. While
 * surge is on the bot answers first in every inbox where it is turned on, whatever its mode, and
 * hands over only what it cannot answer.
 */
import type { Executor } from '../../db/index.ts';

export type SurgeProbe = (s: { db: Executor }, workspaceId: string) => Promise<boolean>;
let probe: SurgeProbe = () => Promise.resolve(false);

/** Routing's index registers its check (once per process; the same function for every Services). */
export function setSurgeProbe(p: SurgeProbe): void {
  probe = p;
}

export const surgeOn = (s: { db: Executor }, workspaceId: string): Promise<boolean> => probe(s, workspaceId);
