/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Attachment, Message } from '../../../shared/realtime/protocol.ts';
import type { OutboxEntry, TimelineItem } from '../chat-state.ts';
import { isRateableAnswer, splitButtons } from '../../../shared/bot-buttons.ts';
import { csatRequestOf } from '../../../shared/csat-card.ts';
import type { Snapshot, WidgetController } from '../controller.ts';
import type { Strings } from '../i18n.ts';
import { CsatCard } from './csat-card.tsx';
import { FileIcon } from './icons.tsx';
import { cardOfMessage, OrderCardView } from './order-card.tsx';

type Props = { s: Snapshot; controller: WidgetController };

export function MessageList({ s, controller }: Props) {
  const { t } = s;
  const box = useRef<HTMLDivElement>(null);
  // Follow new messages only while the shopper is at the bottom; never yank them away from history they scrolled up to read.
  const atBottom = useRef(true);
  const last = s.timeline[s.timeline.length - 1];
  const lastIsOwnNew = last?.type === 'pending';

  useLayoutEffect(() => {
    const el = box.current;
    if (el && (atBottom.current || lastIsOwnNew)) el.scrollTop = el.scrollHeight;
  }, [s.timeline, s.agentTyping, s.open, lastIsOwnNew]);

  const keepBottom = () => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  };
  // An older rating card looks again when a newer one arrives (it was answered elsewhere or replaced).
  const lastCsat = s.timeline.reduce<string | null>(
    (last, i) => (i.type === 'message' && i.message.sender.type === 'system' && csatRequestOf(i.message.body)) || last,
    null,
  );
  const dayFormat = new Intl.DateTimeFormat(s.lang, { month: 'long', day: 'numeric', weekday: 'short' });
  // While the bot answers, the chat opens with its greeting script (it says how to reach a person).
  const botGreeting = s.config?.bot ? s.config.botGreeting?.[s.lang] : undefined;
  const greeting = botGreeting || s.config?.greeting[s.lang];

  let lastDay = '';
  const rows: ComponentChildren[] = [];
  for (const item of s.timeline) {
    const at = item.type === 'message' ? item.message.at : item.entry.createdAt;
    const date = new Date(at);
    const day = date.toDateString();
    if (day !== lastDay && !Number.isNaN(date.getTime())) {
      lastDay = day;
      rows.push(
        <div class="day" key={`day:${day}`}>
          {dayFormat.format(date)}
        </div>,
      );
    }
    rows.push(
      item.type === 'message' ? (
        <MessageRow
          key={item.key}
          item={item}
          t={t}
          lang={s.lang}
          onLoad={keepBottom}
          controller={controller}
          lastCsat={lastCsat}
        />
      ) : (
        <PendingRow key={item.key} entry={item.entry} t={t} controller={controller} onLoad={keepBottom} />
      ),
    );
  }

  return (
    <div
      class="log"
      ref={box}
      role="log"
      aria-live="polite"
      aria-label={t.conversation}
      tabIndex={0}
      onScroll={() => {
        const el = box.current;
        if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
      }}
    >
      {greeting && (
        <div class="row them" data-testid="greeting">
          {botGreeting && <div class="who">{t.bot}</div>}
          <div class="bubble">
            <p class="text">{greeting}</p>
          </div>
        </div>
      )}
      {rows}
      {s.agentTyping && (
        <div class="typing" role="status" data-testid="agent-typing">
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {t.typing}
        </div>
      )}
    </div>
  );
}

function MessageRow({
  item,
  t,
  lang,
  onLoad,
  controller,
  lastCsat,
}: {
  item: Extract<TimelineItem, { type: 'message' }>;
  lastCsat: string | null;
  t: Strings;
  lang: string;
  onLoad: () => void;
  controller: WidgetController;
}) {
  const raw = item.message;
  // A bot's quick replies ride at the end of its body; shown as buttons that send their text.
  const { text, buttons } = raw.sender.type === 'bot' ? splitButtons(raw.body) : { text: raw.body, buttons: [] };
  const m = text === raw.body ? raw : { ...raw, body: text };
  if (m.sender.type === 'system') {
    const csat = csatRequestOf(m.body);
    if (csat)
      return (
        <CsatCard requestId={csat} newest={csat === lastCsat} lang={lang} controller={controller} onLoad={onLoad} />
      );
    return <div class="system">{m.body}</div>;
  }
  const who = item.own ? t.you : m.sender.name || (m.sender.type === 'bot' ? t.bot : t.agent);
  const time = formatTime(m.at, lang);
  const card = cardOfMessage(raw);
  return (
    <div class={item.own ? 'row me' : 'row them'} data-testid={item.own ? 'message-mine' : 'message-theirs'}>
      {!item.own && (
        <div class="who">
          {m.sender.type === 'agent' && m.sender.avatar && <AgentAvatar url={m.sender.avatar} size={20} />}
          {who}
        </div>
      )}
      {card ? (
        <OrderCardView card={card} t={t} lang={lang} />
      ) : (
        <div class="bubble">
          <Content message={m} t={t} onLoad={onLoad} />
        </div>
      )}
      {buttons.length > 0 && (
        <div class="quick-replies" data-testid="quick-replies">
          {buttons.map((b) => (
            <button key={b} type="button" class="quick-reply" onClick={() => controller.sendText(b)}>
              {b}
            </button>
          ))}
        </div>
      )}
      {isRateableAnswer(raw) && <Rating id={raw.id} t={t} controller={controller} />}
      <div class="meta">
        <span class="sr">{who} </span>
        {time && <time dateTime={m.at}>{time}</time>}
        {item.status && (
          <span class={item.status === 'read' ? 'status read' : 'status'}>
            {item.status === 'read' ? t.read : t.sent}
          </span>
        )}
      </div>
    </div>
  );
}

/** "Useful / not useful" under a bot answer; the choice stays for the page's life. */
function Rating({ id, t, controller }: { id: string; t: Strings; controller: WidgetController }) {
  const [rated, setRated] = useState<'yes' | 'no' | null>(null);
  const rate = (useful: boolean) => {
    setRated(useful ? 'yes' : 'no');
    void controller.rateAnswer(id, useful).then((ok) => !ok && setRated(null));
  };
  if (rated) return <div class="rating done">{t.thanksRating}</div>;
  return (
    <div class="rating" data-testid="bot-rating">
      <button type="button" class="rate" onClick={() => rate(true)} aria-label={t.useful}>
        {t.useful}
      </button>
      <button type="button" class="rate" onClick={() => rate(false)} aria-label={t.notUseful}>
        {t.notUseful}
      </button>
    </div>
  );
}

function PendingRow({
  entry,
  t,
  controller,
  onLoad,
}: {
  entry: OutboxEntry;
  t: Strings;
  controller: WidgetController;
  onLoad: () => void;
}) {
  const failed = entry.state === 'failed';
  return (
    <div
      class={failed ? 'row me failed' : 'row me pending'}
      data-testid={failed ? 'message-failed' : 'message-pending'}
    >
      <div class="bubble">
        <Content message={entry} t={t} onLoad={onLoad} />
      </div>
      <div class="meta">
        {failed ? (
          <>
            <span class="status error" role="alert">
              {t.failed}: {entry.error}
            </span>
            <button type="button" class="link" onClick={() => controller.retry(entry.cid)}>
              {t.retry}
            </button>
            <button type="button" class="link" onClick={() => controller.discard(entry.cid)}>
              {t.remove}
            </button>
          </>
        ) : (
          <span class="status">{t.sending}</span>
        )}
      </div>
    </div>
  );
}

function Content({
  message,
  t,
  onLoad,
}: {
  message: Pick<Message, 'body' | 'attachments'>;
  t: Strings;
  onLoad: () => void;
}) {
  return (
    <>
      {message.body && <p class="text">{linkify(message.body)}</p>}
      {message.attachments.map((a) => (
        <AttachmentView key={a.id} a={a} t={t} onLoad={onLoad} />
      ))}
    </>
  );
}

function AttachmentView({ a, t, onLoad }: { a: Attachment; t: Strings; onLoad: () => void }) {
  const url = safeUrl(a.url);
  if (!url) return null;
  if (a.mime.startsWith('image/')) {
    return (
      <a class="image" href={url} target="_blank" rel="noopener noreferrer">
        <img src={url} alt={a.name || t.image} width={a.width} height={a.height} onLoad={onLoad} />
      </a>
    );
  }
  return (
    <a class="file" href={url} target="_blank" rel="noopener noreferrer" download={a.name}>
      <FileIcon />
      <span class="name">{a.name}</span>
      <small>{formatSize(a.size)}</small>
    </a>
  );
}

/** Only http(s) and same-origin paths become links or image sources: never `javascript:` or `data:`. */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const urlPattern = /https?:\/\/[^\s<>"'\u3000-\u303f\uff00-\uffef]+/g;

/** Plain text with its web addresses as links (Preact escapes the text; no HTML from messages is ever parsed). */
export function linkify(text: string): ComponentChildren[] {
  const parts: ComponentChildren[] = [];
  let index = 0;
  for (const match of text.matchAll(urlPattern)) {
    const href = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index ?? 0;
    if (start > index) parts.push(text.slice(index, start));
    parts.push(
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {href}
      </a>,
    );
    index = start + href.length;
  }
  if (index < text.length) parts.push(text.slice(index));
  return parts;
}

export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function formatTime(iso: string, lang: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/** An agent's avatar (decorative: the name is always beside it); nothing when the address is not a safe one. */
export function AgentAvatar({ url, size }: { url: string; size: number }) {
  const src = safeUrl(url);
  if (!src) return null;
  return <img class="avatar" src={src} alt="" width={size} height={size} loading="lazy" data-testid="agent-avatar" />;
}
