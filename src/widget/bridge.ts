/**
 * The postMessage protocol between the loader (running in the shop's page) and the frame (the
 * chat panel's iframe on the Kefu host). Types only, so importing it costs the loader nothing.
 *
 * Both sides check the peer: the loader accepts only messages whose `event.origin` is the Kefu
 * host and whose `event.source` is its own iframe; the frame accepts only `window.parent` and,
 * after `kefu:init`, only the origin that sent it.
 */

/** What a merchant may put in `window.kefuSettings` (everything optional; unknown keys are dropped). */
export type KefuSettings = {
  userId?: string;
  /** Hex HMAC-SHA256(identitySecret, userId), computed by the shop's server. */
  userHash?: string;
  name?: string;
  email?: string;
  phone?: string;
  language?: string;
};

/**
 * What the frame keeps in the shop origin's storage through the loader. The frame's own storage is
 * third-party: partitioned at best, and denied outright when the browser blocks third-party
 * cookies (Chrome's incognito default, Safari, Brave). `outbox` goes to sessionStorage (this tab
 * only), the rest to localStorage. The session token is never stored here: scripts of the shop
 * page could read it.
 */
export type StoreKey = 'read' | 'prechat' | 'outbox' | 'active';
export type Stored = Partial<Record<StoreKey, unknown>>;

/** The shop page the shopper is on (the agents' sidebar shows it). */
export type PageInfo = { url: string; title: string; referrer: string };

export type LoaderToFrame =
  | {
      type: 'kefu:init';
      page?: PageInfo;
      /** Random id kept in the shop origin's localStorage (first-party, so it survives storage partitioning). */
      visitorId: string;
      origin: string;
      settings: KefuSettings;
      /** What the frame stored earlier with `kefu:store`. */
      stored: Stored;
    }
  | { type: 'kefu:visibility'; open: boolean }
  /** The shopper moved to another page of a single-page shop (full page loads send a new init). */
  | { type: 'kefu:page'; page: PageInfo };

export type FrameToLoader =
  /** The frame loaded its inbox config; the launcher may appear, in the inbox colour. */
  | { type: 'kefu:ready'; color: string; name: string }
  | { type: 'kefu:close' }
  | { type: 'kefu:unread'; count: number }
  /** Keep `value` (JSON-able; null deletes) for the next page view's `kefu:init`. */
  | { type: 'kefu:store'; key: StoreKey; value: unknown };
