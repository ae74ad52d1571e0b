/** @jsxImportSource preact */
import type { Snapshot, WidgetController } from '../controller.ts';
import { fill, type Strings } from '../i18n.ts';
import { OfflineForm } from './forms.tsx';

type Props = { s: Snapshot; controller: WidgetController };

/** The estimated wait in the shopper's words (minutes, rounded up; null: no recent handling rate yet). */
export function waitText(t: Strings, waitSeconds: number | null): string {
  if (waitSeconds === null) return t.queueEstimating;
  if (waitSeconds < 60) return t.queueWaitShort;
  return fill(t.queueWait, { m: String(Math.ceil(waitSeconds / 60)) });
}

/**
 * The waiting shopper's place in the queue (live from the server's `queue` frames), the inbox's
 * notice (surge mode wording), and after the maximum wait the offer to leave a message (→ ticket)
 * or ask for a callback instead of waiting on.
 */
export function QueueNotice({ s, controller }: Props) {
  const { t, queue } = s;
  // Sent: the message or callback request took the chat out of the queue (no position any more).
  if (s.queueForm && (queue || s.offlineSent))
    return (
      <div class="queue-form scroll">
        {s.offlineSent ? (
          <p class="thanks" role="status" tabIndex={-1} data-autofocus>
            {s.queueForm === 'callback' ? t.callbackThanks : t.thanks}
          </p>
        ) : (
          <OfflineForm s={s} controller={controller} callback={s.queueForm === 'callback'} />
        )}
        <button type="button" class="link" onClick={() => controller.chooseQueueForm(null)}>
          {s.offlineSent ? t.backToChat : t.keepWaiting}
        </button>
      </div>
    );
  if (!queue) return null;
  return (
    <section class="queue" role="status" aria-live="polite" data-testid="queue-notice">
      <p class="queue-notice">{queue.notice || t.queueBusy}</p>
      <p class="queue-place">
        <strong>{fill(t.queuePosition, { n: String(queue.position) })}</strong>
        <span>{waitText(t, queue.waitSeconds)}</span>
      </p>
      {queue.offer && (
        <div class="queue-offer">
          <p>{t.queueOffer}</p>
          <div class="queue-actions">
            <button type="button" class="primary" onClick={() => controller.chooseQueueForm('message')}>
              {t.leaveMessage}
            </button>
            <button type="button" class="secondary" onClick={() => controller.chooseQueueForm('callback')}>
              {t.askCallback}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
