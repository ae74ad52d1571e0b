/** @jsxImportSource preact */
/**
 * The rating card in the chat (a `[[csat:<id>]]` system message): the survey as it was asked
 * (stars or faces, the extra questions, a comment), answered once; afterwards it shows the score
 * and the thanks. Its texts live here, not in i18n.ts, so the card is one file.
 */
import { useEffect, useState } from 'preact/hooks';
import { csatFaces, csatMaxComment, type CsatCardData } from '../../../shared/csat-card.ts';
import { ApiError } from '../api.ts';
import type { WidgetController } from '../controller.ts';

const words = {
  'zh-CN': {
    send: '提交评价',
    sending: '提交中…',
    yes: '是',
    no: '否',
    expired: '评价已过期',
    superseded: '已有新的评价邀请',
    failed: '提交失败，请稍后重试',
    loadFailed: '评价加载失败',
    yourScore: '您的评分',
    score: (n: number) => `${n} 分`,
  },
  en: {
    send: 'Send rating',
    sending: 'Sending…',
    yes: 'Yes',
    no: 'No',
    expired: 'This rating request has expired',
    superseded: 'A newer rating request replaced this one',
    failed: 'Could not send. Please try again.',
    loadFailed: 'Could not load the rating',
    yourScore: 'Your rating',
    score: (n: number) => `${n} of 5`,
  },
};

type Props = { requestId: string; lang: string; controller: WidgetController; onLoad: () => void };

export function CsatCard({ requestId, lang: language, controller, onLoad }: Props) {
  const lang = language === 'zh-CN' ? 'zh-CN' : 'en';
  const w = words[lang];
  const [card, setCard] = useState<CsatCardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [answers, setAnswers] = useState<Record<string, boolean | string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    controller.csat.load(requestId).then(
      (c) => live && setCard(c),
      () => live && setError(w.loadFailed),
    );
    return () => void (live = false);
  }, [requestId]);
  useEffect(onLoad, [card, score]);

  if (!card) return error ? <div class="system">{error}</div> : null;
  const symbol = (n: number) => (card.scale === 'faces' ? csatFaces[n - 1] : '★');

  if (card.state !== 'open') {
    const given = card.rating?.score ?? 0;
    return (
      <div class="csat done" data-testid="csat-card" data-state={card.state}>
        {card.state === 'rated' ? (
          <>
            <div class="csat-prompt">{card.thanks[lang]}</div>
            <div class={`csat-scale ${card.scale} readonly`} aria-label={`${w.yourScore}: ${w.score(given)}`}>
              {[1, 2, 3, 4, 5].map((n) => (
                <span key={n} class={card.scale === 'faces' ? (n === given ? 'on' : '') : n <= given ? 'on' : ''}>
                  {symbol(n)}
                </span>
              ))}
            </div>
          </>
        ) : (
          <div class="csat-prompt">{card.state === 'expired' ? w.expired : w.superseded}</div>
        )}
      </div>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!score || busy) return;
    setBusy(true);
    setError(null);
    try {
      setCard(await controller.csat.rate(requestId, { score, comment: comment.trim(), answers }));
    } catch (err) {
      // Rated meanwhile (another tab), expired or replaced: show what the server says it is now.
      if (err instanceof ApiError && (err.status === 409 || err.status === 410))
        await controller.csat.load(requestId).then(setCard, () => setError(w.failed));
      else setError(w.failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="csat" data-testid="csat-card" data-state="open" onSubmit={submit}>
      <div class="csat-prompt">{card.prompt[lang]}</div>
      <div class={`csat-scale ${card.scale}`} role="radiogroup" aria-label={card.prompt[lang]}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={score === n}
            aria-label={w.score(n)}
            data-score={n}
            class={card.scale === 'faces' ? (n === score ? 'on' : '') : n <= score ? 'on' : ''}
            onClick={() => setScore(n)}
          >
            {symbol(n)}
          </button>
        ))}
      </div>
      {score > 0 && (
        <>
          {card.questions.map((q) =>
            q.kind === 'yes_no' ? (
              <div class="csat-q" key={q.id}>
                <span>{q.label[lang]}</span>
                {([true, false] as const).map((v) => (
                  <button
                    key={String(v)}
                    type="button"
                    class={answers[q.id] === v ? 'chip on' : 'chip'}
                    aria-pressed={answers[q.id] === v}
                    onClick={() => setAnswers({ ...answers, [q.id]: v })}
                  >
                    {v ? w.yes : w.no}
                  </button>
                ))}
              </div>
            ) : (
              <label class="csat-q text" key={q.id}>
                <span>{q.label[lang]}</span>
                <input
                  maxLength={500}
                  value={(answers[q.id] as string | undefined) ?? ''}
                  onInput={(e) => setAnswers({ ...answers, [q.id]: e.currentTarget.value })}
                />
              </label>
            ),
          )}
          <textarea
            class="csat-comment"
            rows={3}
            maxLength={csatMaxComment}
            placeholder={card.commentPrompt[lang]}
            aria-label={card.commentPrompt[lang]}
            value={comment}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          {error && <div class="csat-error">{error}</div>}
          <button type="submit" class="csat-send" disabled={busy}>
            {busy ? w.sending : w.send}
          </button>
        </>
      )}
    </form>
  );
}
