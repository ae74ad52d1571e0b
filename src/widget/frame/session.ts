/**
 * The shopper's widget session (POST /api/widget/:publicId/session): created lazily, reused across
 * page views of the same tab (sessionStorage) until a minute before it expires, and replaced when
 * the socket says the token is no good.
 */
import { ApiError, type WidgetApi, type WidgetSession } from './api.ts';
import type { Lang } from './i18n.ts';
import { load, save } from './storage.ts';
import type { InitData, PreChatValues, SessionBody } from './settings.ts';

const refreshMarginMs = 60_000;

export class SessionKeeper {
  private current: WidgetSession | null = null;
  private inflight: Promise<WidgetSession> | null = null;
  /** Set when the server refused the identity hash: the shopper then chats anonymously. */
  identityRejected = false;

  private readonly api: WidgetApi;
  private readonly init: InitData;
  private readonly lang: Lang;
  private readonly storageKey: string;
  private readonly now: () => number;

  constructor(api: WidgetApi, init: InitData, lang: Lang, storageKey: string, now: () => number = Date.now) {
    this.api = api;
    this.init = init;
    this.lang = lang;
    this.storageKey = storageKey;
    this.now = now;
    const cached = load('session', storageKey) as { userId?: unknown; session?: WidgetSession } | null;
    if (cached?.session && cached.userId === (init.identity?.userId ?? null) && this.fresh(cached.session))
      this.current = cached.session;
  }

  get session(): WidgetSession | null {
    return this.current;
  }

  /** The shopper's signed identity as the shop gave it, unless the server refused it. */
  get identity(): { userId: string; hash: string } | undefined {
    return this.identityRejected ? undefined : (this.init.identity ?? undefined);
  }

  /** A usable session; a new one when forced (bad token, pre-chat answers to store), missing or about to expire. */
  ensure(options: { force?: boolean; preChat?: PreChatValues } = {}): Promise<WidgetSession> {
    if (!options.force && !options.preChat && this.current && this.fresh(this.current))
      return Promise.resolve(this.current);
    if (this.inflight && !options.preChat) return this.inflight;
    const pending = this.create(options.preChat).finally(() => {
      if (this.inflight === pending) this.inflight = null;
    });
    this.inflight = pending;
    return pending;
  }

  private fresh(session: WidgetSession): boolean {
    const expires = Date.parse(session.expiresAt);
    return Number.isFinite(expires) && expires - this.now() > refreshMarginMs;
  }

  private async create(preChat: PreChatValues | undefined): Promise<WidgetSession> {
    const values = { ...this.init.known, ...preChat };
    const body: SessionBody = { visitorId: this.init.visitorId, origin: this.init.origin, language: this.lang };
    if (Object.keys(values).length) body.preChat = values;
    if (this.identity) body.identity = this.identity;
    let session: WidgetSession;
    try {
      session = await this.api.session(body);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'identity_invalid' && body.identity)) throw error;
      // A wrong hash is the merchant's setup error; the shopper can still chat, just not as a known user.
      console.warn(
        '[kefu] kefuSettings.userHash was refused by the server; chatting anonymously. Check the identity secret.',
      );
      this.identityRejected = true;
      delete body.identity;
      session = await this.api.session(body);
    }
    this.current = session;
    save('session', this.storageKey, {
      userId: this.identity?.userId ?? null,
      session,
    });
    return session;
  }
}
