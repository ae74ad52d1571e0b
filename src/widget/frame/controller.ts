/**
 * Everything the panel does, without the UI: the loader bridge, config, session, the realtime
 * client and the chat state, published to the view as immutable snapshots. The connection starts
 * lazily (first open) unless the shopper already chatted on this shop (`stored.active`), is a known
 * user or has unsent messages, so a busy shop does not open a socket and create a customer per page view.
 */
import type { PageInfo } from '../bridge.ts';
import { backoffDelay } from '../../shared/realtime/backoff.ts';
import { ChatClient } from '../../shared/realtime/client.ts';
import { browserDeps, socketUrl, type LastClose } from '../../shared/realtime/connection.ts';
import { closeCodes, maxMessageChars } from '../../shared/realtime/protocol.ts';
import { ApiError, maxUploadBytes, widgetApi } from './api.ts';
import { ChatState } from './chat-state.ts';
import { pickLanguage, strings } from './i18n.ts';
import { QueueWatch, timers } from './queue-watch.ts';
import { LoaderLink } from './loader-link.ts';
import { SessionKeeper } from './session.ts';
import { sessionCalls } from './session-calls.ts';
import { answering, cleanPreChat, fieldsToAsk, type InitData, type PreChatValues } from './settings.ts';
import { TypingSignal } from './typing-signal.ts';
import { connectionFor, errorText, type QueueForm, type Snapshot, type View } from './snapshot.ts';

export type { Connection, QueueForm, QueueState, Snapshot, View } from './snapshot.ts';

/** An agent's `typing on` whose `off` got lost must not show forever. */
const agentTypingTimeoutMs = 10_000;
/** Close codes after which the token is not worth retrying. */
const authCloseCodes: number[] = [closeCodes.policy, closeCodes.unauthorized, closeCodes.forbidden];

export class WidgetController {
  private readonly api;
  private readonly client: ChatClient;
  private readonly state: ChatState;
  private readonly listeners = new Set<() => void>();
  private snap: Snapshot;
  private init: InitData | null = null;
  private page: PageInfo | null = null;
  private readonly link: LoaderLink;
  private sessions: SessionKeeper | null = null;
  private started = false;
  private preChatDone = false;
  private configAt = 0;
  private lastUnread = -1;
  private activePosted = false;
  private leaving = false;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  // Out of the queue: an agent took it (the form closes), or the shopper's own message or callback
  // request did (`leaving`: its position-0 frame may come first; the thanks stays until they go back).
  private readonly queue = new QueueWatch(timers, (queue) => {
    const keep = !queue && this.snap.queueForm && (this.snap.offlineSent || this.leaving);
    this.update(queue ? { queue } : keep ? { queue: null } : { queue: null, queueForm: null });
  });
  private readonly typingSignal = new TypingSignal((on) => {
    const conv = this.client.defaultConversation;
    return !!conv && this.client.typing(conv, on);
  }, timers);

  constructor(publicId: string) {
    this.api = widgetApi(publicId);
    this.link = new LoaderLink(publicId);
    this.client = this.createClient();
    this.state = new ChatState(this.client);
    const lang = pickLanguage(undefined, navigator.language);
    this.snap = {
      view: 'loading',
      lang,
      t: strings(lang),
      config: null,
      open: this.link.standalone,
      connection: 'idle',
      timeline: [],
      agentTyping: false,
      notice: null,
      unavailable: null,
      preChatFields: [],
      offlineSent: false,
      uploading: 0,
      queue: null,
      queueForm: null,
    };
  }

  // ---- view binding ----
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get snapshot(): Snapshot {
    return this.snap;
  }
  /** False when frame.html is opened on its own (development, support debugging): no loader to talk to. */
  get embedded(): boolean {
    return !this.link.standalone;
  }
  /** The agent the session named (a session cached before avatars existed has none). */
  get sessionAgent(): { name: string; avatar: string } | null {
    return this.sessions?.session?.agent ?? null;
  }
  private update(patch: Partial<Snapshot> = {}): void {
    const next = { ...this.snap, ...patch, timeline: this.state.timeline() };
    next.view = this.viewFor(next);
    this.snap = next;
    if (next.view === 'chat' && this.init && next.open) this.connect();
    this.markRead();
    this.postUnread();
    for (const listener of this.listeners) listener();
  }

  private viewFor(s: Snapshot): View {
    if (s.unavailable) return 'unavailable';
    if (!s.config || !this.init) return 'loading';
    // An ongoing conversation always shows, even out of hours: messages still reach the inbox.
    if (this.state.hasMessages() || this.sessions?.session?.conversationId) return 'chat';
    if (!answering(s.config)) return 'offline';
    if (!this.preChatDone && s.preChatFields.length > 0) return 'prechat';
    return 'chat';
  }

  // ---- boot and the loader bridge ----
  start(): void {
    this.link.listen({
      init: (init) => this.adoptInit(init),
      visibility: (open) => this.setOpen(open),
      page: (page) => {
        this.page = page;
        void this.calls.reportContext(page);
      },
    });
    window.addEventListener('online', () => this.client.nudge());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.client.nudge();
      this.update();
    });
    void this.loadConfig(0);
  }

  private async loadConfig(attempt: number): Promise<void> {
    try {
      const config = await this.api.config();
      this.configAt = Date.now();
      const first = !this.snap.config;
      this.update({ config, preChatFields: this.init ? fieldsToAsk(config, this.init.known) : [] });
      if (first) {
        this.link.post({ type: 'kefu:ready', color: config.color, name: config.name });
        if (this.link.standalone) this.adoptInit(this.link.selfInit());
      }
    } catch (error) {
      // A missing inbox stays silent (the loader shows no launcher); a flaky network is retried.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        if (this.snap.config) return;
        this.update({ unavailable: this.snap.t.unavailable });
        return;
      }
      if (attempt < 6) setTimeout(() => void this.loadConfig(attempt + 1), backoffDelay(attempt));
    }
  }

  private adoptInit(init: InitData | null): void {
    if (!init || this.init) return;
    this.init = init;
    const lang = pickLanguage(init.language, navigator.language);
    document.documentElement.lang = lang;
    // The token stays in the frame's own storage (best effort): the shop's scripts must not see it.
    this.sessions = new SessionKeeper(this.api, init, lang, `kefu.session.${init.visitorId}`);
    this.client.restoreOutbox(init.stored.outbox);
    this.state.restoreReadMarks(init.stored.read);
    this.preChatDone = init.stored.prechat === true;
    this.client.assignConversation(this.sessions.session?.conversationId ?? null);
    const config = this.snap.config;
    this.update({ lang, t: strings(lang), preChatFields: config ? fieldsToAsk(config, init.known) : [] });
    // Connect now for history and unread badges if the shopper has something here already.
    if (
      init.stored.active === true ||
      init.identity ||
      this.client.pending().length ||
      this.sessions.session?.conversationId
    )
      this.connect();
  }

  setOpen(open: boolean): void {
    if (open && Date.now() - this.configAt > 60_000) void this.loadConfig(5); // an agent may have come online
    this.update({ open, notice: open ? this.snap.notice : null });
  }

  close(): void {
    this.link.post({ type: 'kefu:close' });
  }

  // ---- connection ----
  private createClient(): ChatClient {
    return new ChatClient(
      {
        status: (status, info) => this.update({ connection: connectionFor(status, info.everOpen) }),
        welcome: (w) => {
          if (w.conversations?.length) this.postActive();
          this.update();
        },
        message: (m) => {
          if (m.sender.type === 'customer') this.postActive();
          else this.setAgentTyping(false);
        },
        thread: () => this.update(),
        outbox: () => this.saveOutbox(),
        read: (f) => {
          if (this.state.applyRead(f)) this.update();
        },
        queue: (f) => this.queue.frame(f, this.client.defaultConversation),
        typing: (f) => {
          if (f.from !== 'agent') return;
          this.setAgentTyping(f.on);
          this.update();
        },
        // A refused send is already shown failed on its bubble; anything else is said plainly.
        error: (f) => {
          if (!f.cid || !this.client.entry(f.cid)) this.update({ notice: f.message });
        },
      },
      {
        url: (lastClose) => this.socketUrl(lastClose),
        self: () => ({ type: 'customer', id: this.sessions?.session?.customerId ?? null, name: null }),
      },
      browserDeps,
    );
  }

  private connect(): void {
    if (this.started || !this.sessions) return;
    this.started = true;
    this.client.start();
  }

  private async socketUrl(lastClose: LastClose | null): Promise<string> {
    const sessions = this.sessions!;
    const suspect =
      !!lastClose &&
      (authCloseCodes.includes(lastClose.code) || (!lastClose.welcomed && lastClose.failuresInARow >= 2));
    try {
      const session = await sessions.ensure({ force: suspect });
      this.client.assignConversation(session.conversationId);
      void this.calls.reportContext(this.page ?? this.init?.page ?? null);
      return socketUrl(location, session.token);
    } catch (error) {
      // Refused for good (origin not allowed, identity required, inbox gone): retrying cannot help.
      if (
        error instanceof ApiError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 408 &&
        error.status !== 429
      ) {
        this.client.stop();
        this.update({
          unavailable: error.code === 'origin_not_allowed' ? this.snap.t.notAllowed : this.snap.t.unavailable,
        });
      }
      throw error;
    }
  }

  chooseQueueForm(form: QueueForm): void {
    this.update({ queueForm: form, offlineSent: false });
  }

  private setAgentTyping(on: boolean): void {
    clearTimeout(this.agentTypingTimer);
    this.snap = { ...this.snap, agentTyping: on };
    if (on) this.agentTypingTimer = setTimeout(() => this.update({ agentTyping: false }), agentTypingTimeoutMs);
  }

  private markRead(): void {
    if (!this.snap.open || document.visibilityState !== 'visible' || !this.client.online) return;
    const advanced = this.state.markAllRead();
    if (!advanced.length) return;
    for (const mark of advanced) this.client.read(mark.conv, mark.seq);
    this.link.persist('read', this.state.readMarks());
  }

  /** Next page view connects at once: there is history to show and there may be badges to count. */
  private postActive(): void {
    if (this.activePosted || this.init?.stored.active === true) return;
    this.activePosted = true;
    this.link.persist('active', true);
  }

  private postUnread(): void {
    const count = this.snap.open && document.visibilityState === 'visible' ? 0 : this.state.unreadCount();
    if (count === this.lastUnread) return;
    this.lastUnread = count;
    this.link.post({ type: 'kefu:unread', count });
  }

  private saveOutbox(): void {
    const pending = this.client.pending();
    this.link.persist('outbox', pending.length ? pending : null);
  }

  // ---- shopper actions ----
  sendText(text: string): boolean {
    const body = text.trim();
    if (!body) return false;
    if (body.length > maxMessageChars) {
      this.update({ notice: this.snap.t.tooLong });
      return false;
    }
    this.typingSignal.stop();
    this.client.send({ conv: null, kind: 'text', body });
    this.afterEnqueue();
    return true;
  }

  async sendFile(file: File): Promise<void> {
    const t = this.snap.t;
    if (file.size > maxUploadBytes) return this.update({ notice: t.tooLarge });
    if (!this.sessions) return;
    this.update({ uploading: this.snap.uploading + 1, notice: null });
    try {
      const session = await this.sessions.ensure();
      const attachment = await this.api.upload(file, session.token);
      const kind = attachment.mime.startsWith('image/') ? 'image' : 'file';
      this.client.send({ conv: null, kind, body: '', attachments: [attachment] });
      this.afterEnqueue();
    } catch (error) {
      this.snap = {
        ...this.snap,
        notice:
          error instanceof ApiError && error.status === 413
            ? t.tooLarge
            : errorText(this.snap.t, error, t.uploadFailed),
      };
    } finally {
      this.update({ uploading: this.snap.uploading - 1 });
    }
  }

  private afterEnqueue(): void {
    this.connect();
    this.update({ notice: null });
  }

  retry(cid: string): void {
    if (this.client.retry(cid)) this.afterEnqueue();
  }

  discard(cid: string): void {
    if (this.client.discard(cid)) this.update();
  }

  /** The composer's content changed (see typing-signal.ts for the rhythm). */
  typing(active: boolean): void {
    this.typingSignal.input(active);
  }

  async submitPreChat(values: PreChatValues): Promise<void> {
    if (!this.sessions || !this.init) return;
    try {
      await this.sessions.ensure({ preChat: cleanPreChat(values) });
      this.preChatDone = true;
      this.link.persist('prechat', true);
      this.update({ notice: null });
    } catch (error) {
      this.update({ notice: errorText(this.snap.t, error) });
      throw error;
    }
  }

  async submitOffline(message: { name: string; contact: string; body: string; callback?: boolean }): Promise<void> {
    const token = this.sessions?.session?.token ?? null; // none: origin and identity are checked as at a start
    const body = {
      ...(token || !this.init ? {} : { origin: this.init.origin, identity: this.sessions?.identity }),
      contact: message.contact.trim(),
      body: message.body.trim(),
      ...(message.name.trim() ? { name: message.name.trim() } : {}),
      ...(message.callback ? { callback: true } : {}),
    };
    this.leaving = !!this.snap.queueForm;
    try {
      await this.api.offlineMessage(body, token);
      this.update({ offlineSent: true, notice: null });
    } catch (error) {
      this.update({ notice: errorText(this.snap.t, error) });
      throw error;
    } finally {
      this.leaving = false;
    }
  }

  private readonly calls = sessionCalls(() => ({ api: this.api, sessions: this.sessions }));
  /** The rating card's calls (ui/csat-card.tsx); a bot answer's "useful / not useful" (false: not recorded). */
  readonly csat = this.calls.csat;
  readonly rateAnswer = this.calls.rateAnswer;

  dismissNotice(): void {
    this.update({ notice: null });
  }

  reconnectNow(): void {
    this.client.nudge();
  }
}
