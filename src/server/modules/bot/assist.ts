/**
 * What may refine the offline engine's ranking of a message before the bot decides: the dense
 * stream (a local embedding model, `dense/`) and the workspace's LLM (`llm.ts`). Both are
 * optional; with neither the ranking is returned as it is, and nothing leaves Kefu. The LLM sees
 * the shopper's text only after `maskForLlm`, and the top candidates' questions and answers (the
 * shop's own knowledge base). It re-ranks: the entry it picks goes first and the band moves one
 * step up (hand-off → suggest → answer); when it says that none fits, one step down from answer.
 * With `phrase` on, the answer it words from the chosen entry replaces the entry's text when it
 * passes `checkedPhrasing` (no number or link the entry does not have; entries with images keep
 * their text). A time-out, an error or garbage leaves the offline result alone, and is counted.
 * Never throws.
 */
import type { Services } from '../../context.ts';
import type { Entry } from '../../../shared/knowledge-api.ts';
import type { Executor } from '../../db/index.ts';
import type { Band, Ranked } from './engine/matcher.ts';
import { fuseDense } from './dense/stream.ts';
import type { KbIndex } from './knowledge-index.ts';
import { askLlm, LlmFailure } from './llm.ts';
import { allowListOf, llmConfigFor, recordLlmCall } from './llm-settings.ts';
import { maskForLlm } from './pii-mask.ts';

export type Refined = {
  ranked: Ranked;
  /** The LLM's wording of the top entry's answer, when it phrased one that passed the checks. */
  answer: string | null;
  /** What changed the ranking: 'dense', 'llm'. */
  by: string[];
};
export type Refine = (text: string, ranked: Ranked) => Promise<Refined>;

/** Candidates the LLM sees. */
const llmCandidates = 5;
const up: Record<Band, Band> = { handoff: 'suggest', suggest: 'answer', answer: 'answer' };
const down: Record<Band, Band> = { answer: 'suggest', suggest: 'suggest', handoff: 'handoff' };

type S = Pick<Services, 'state' | 'cipher' | 'config' | 'log'> & { db: Executor };

/** The refine step for a workspace's messages (`allow`: the entries that may answer now). */
export function refinerFor(s: S, workspaceId: string, idx: KbIndex, allow: (e: Entry | undefined) => boolean): Refine {
  return async (text, ranked) => {
    const by: string[] = [];
    if (idx.dense && text.trim()) {
      try {
        const scores = await idx.dense.scores(text);
        const fused = fuseDense(
          ranked,
          scores,
          (id) => idx.entries.get(id)?.question,
          (id) => allow(idx.entries.get(id)),
        );
        if (fused.dense.changedTop) by.push('dense');
        ranked = fused;
      } catch (err) {
        s.log.warn({ err }, 'the dense stream failed on a message; ranking without it');
      }
    }
    const cfg = await llmConfigFor(s, workspaceId).catch(() => null);
    if (!cfg || !ranked.candidates.length || !text.trim()) return { ranked, answer: null, by };
    const cands = ranked.candidates.slice(0, llmCandidates);
    const t0 = performance.now();
    try {
      const verdict = await askLlm(
        cfg,
        allowListOf(s),
        maskForLlm(text.slice(0, 2000)),
        cands.map((c) => ({ question: c.question, answer: idx.entries.get(c.id)?.answer ?? '' })),
      );
      recordLlmCall(s, workspaceId, { ok: true }, performance.now() - t0);
      if (verdict.choice === 0) return { ranked: { ...ranked, band: down[ranked.band] }, answer: null, by };
      const chosen = cands[verdict.choice - 1]!;
      const candidates = [chosen, ...ranked.candidates.filter((c) => c.id !== chosen.id)];
      if (chosen.id !== ranked.candidates[0]!.id) by.push('llm');
      const band = up[ranked.band];
      const original = idx.entries.get(chosen.id)?.answer ?? '';
      const phrased = band === 'answer' && verdict.answer && !/!\[|<img/i.test(original) ? verdict.answer : null;
      return { ranked: { ...ranked, candidates, band }, answer: phrased, by };
    } catch (err) {
      const f = err instanceof LlmFailure ? err : new LlmFailure('error', String(err));
      recordLlmCall(s, workspaceId, { ok: false, kind: f.kind, error: f.message }, performance.now() - t0);
      s.log.warn(
        { kind: f.kind, error: f.message, workspaceId },
        'the LLM did not help; the offline bot answers alone',
      );
      return { ranked, answer: null, by };
    }
  };
}
