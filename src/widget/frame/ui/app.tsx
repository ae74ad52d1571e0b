/** @jsxImportSource preact */
import { useEffect, useRef } from 'preact/hooks';
import { safeColor, textOn } from '../../color.ts';
import type { WidgetController } from '../controller.ts';
import { Composer } from './composer.tsx';
import { OfflineForm, PreChatForm } from './forms.tsx';
import { CloseIcon } from './icons.tsx';
import { AgentAvatar, MessageList } from './message-list.tsx';
import { currentAgent } from './agent-avatar.ts';
import { QueueNotice } from './queue-notice.tsx';
import { staffed } from '../settings.ts';
import { useSnapshot } from './use-snapshot.ts';

/** On touch screens focusing the composer would pop the keyboard over half the panel uninvited. */
const coarsePointer = () => window.matchMedia?.('(pointer: coarse)').matches ?? false;

export function App({ controller }: { controller: WidgetController }) {
  const s = useSnapshot(controller);
  const { t, config } = s;
  const panel = useRef<HTMLDivElement>(null);

  // Keyboard users land where they type when the panel opens or moves to another step.
  useEffect(() => {
    if (!s.open || !panel.current) return;
    const target = coarsePointer() ? null : panel.current.querySelector<HTMLElement>('[data-autofocus]');
    (target ?? panel.current).focus({ preventScroll: true });
  }, [s.open, s.view]);

  const color = safeColor(config?.color);
  const online = config ? staffed(config) : true;
  // Agents away, the bot answering: the header says the assistant is there, not "away".
  const botOnly = !!config && !online && config.bot;
  const title = config?.name || t.title;
  const agent = s.view === 'chat' ? currentAgent(s.timeline, controller.sessionAgent) : null;

  return (
    // WAI-ARIA dialog pattern: Escape closes the dialog, wherever focus is inside it.
    // eslint-disable-next-line jsx-a11y-x/no-noninteractive-element-interactions
    <div
      ref={panel}
      class="panel"
      style={`--c:${color};--fg:${textOn(color)}`}
      role="dialog"
      aria-label={title}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          controller.close();
        }
      }}
    >
      <header class="head">
        {agent && <AgentAvatar url={agent.avatar} size={32} />}
        <div class="title">
          <h1>{title}</h1>
          {config && (
            <span class={online || botOnly ? 'state on' : 'state'}>
              <i aria-hidden="true" />
              {online ? t.online : botOnly ? t.botOnline : t.away}
            </span>
          )}
          {agent && (
            <span class="agent-name" data-testid="header-agent">
              {agent.name || t.agent}
            </span>
          )}
        </div>
        {controller.embedded && (
          <button
            type="button"
            class="icon-btn"
            aria-label={t.close}
            title={t.close}
            onClick={() => controller.close()}
          >
            <CloseIcon />
          </button>
        )}
      </header>

      {s.view === 'chat' && s.connection === 'reconnecting' && (
        <div class="banner warn" role="status">
          <span>{t.reconnecting}</span>
          <button type="button" class="link" onClick={() => controller.reconnectNow()}>
            {t.retryNow}
          </button>
        </div>
      )}
      {s.notice && (
        <div class="banner error" role="alert">
          <span>{s.notice}</span>
          <button type="button" class="link" onClick={() => controller.dismissNotice()}>
            {t.dismiss}
          </button>
        </div>
      )}

      {s.view === 'loading' && <p class="center muted">{t.loading}</p>}
      {s.view === 'unavailable' && <p class="center muted">{s.unavailable}</p>}
      {s.view === 'offline' && config && (
        <div class="scroll">
          <p class="intro">{config.offlineMessage[s.lang]}</p>
          {s.offlineSent ? (
            <p class="thanks" role="status" tabIndex={-1} data-autofocus>
              {t.thanks}
            </p>
          ) : (
            <OfflineForm s={s} controller={controller} />
          )}
        </div>
      )}
      {s.view === 'prechat' && config && (
        <div class="scroll">
          <p class="intro">{config.greeting[s.lang]}</p>
          <PreChatForm s={s} controller={controller} />
        </div>
      )}
      {s.view === 'chat' && (
        <>
          {/* The inbox's offline message asks for a message for later: not while the bot answers. */}
          {!online && config && (
            <p class="strip" data-testid="away-strip">
              {botOnly ? t.botAway : config.offlineMessage[s.lang]}
            </p>
          )}
          <QueueNotice s={s} controller={controller} />
          {!s.queueForm && <MessageList s={s} controller={controller} />}
          {s.connection === 'connecting' && (
            <p class="hint" role="status">
              {t.connecting}
            </p>
          )}
          {!s.queueForm && <Composer s={s} controller={controller} />}
        </>
      )}
    </div>
  );
}
