/**
 * The frame's end of the postMessage link with the loader (protocol in ../bridge.ts). Opened on its
 * own (frame.html in a tab, for development or support), the frame plays its own loader: it keeps
 * the visitor id and the stored state in its own storage, which is then first-party.
 */
import type { FrameToLoader, StoreKey } from '../bridge.ts';
import type { PageInfo } from '../bridge.ts';
import { parseInit, parsePage, type InitData } from './settings.ts';
import { load, save } from './storage.ts';

export type LinkHandlers = {
  init(init: InitData): void;
  visibility(open: boolean): void;
  page?(page: PageInfo): void;
};

export class LoaderLink {
  readonly standalone = window.parent === window;
  private readonly publicId: string;
  private parentOrigin: string | null = null;
  private init: InitData | null = null;

  constructor(publicId: string) {
    this.publicId = publicId;
  }

  /** Only `window.parent` is heard, and after `kefu:init` only from the origin that sent it. */
  listen(handlers: LinkHandlers): void {
    window.addEventListener('message', (event) => {
      if (this.standalone || event.source !== window.parent) return;
      if (this.parentOrigin && event.origin !== this.parentOrigin) return;
      const data = event.data as { type?: unknown; open?: unknown } | null;
      if (data?.type === 'kefu:init' && !this.init) {
        const init = parseInit(data, event.origin);
        if (!init) return;
        this.init = init;
        this.parentOrigin = init.origin;
        handlers.init(init);
      } else if (data?.type === 'kefu:visibility' && this.init) handlers.visibility(data.open === true);
      else if (data?.type === 'kefu:page' && this.init) {
        const page = parsePage((data as { page?: unknown }).page);
        if (page) handlers.page?.(page);
      }
    });
  }

  /** Standalone: the init a loader would have sent. */
  selfInit(): InitData | null {
    const key = `kefu.visitor.${this.publicId}`;
    let visitorId = load('local', key);
    if (typeof visitorId !== 'string' || !/^[\w-]{24,64}$/.test(visitorId)) {
      visitorId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
        '',
      );
      save('local', key, visitorId);
    }
    const stored = Object.fromEntries(
      (['read', 'prechat', 'outbox', 'active'] as const).map((k) => [k, load(this.area(k), this.key(k))]),
    );
    this.init = parseInit({ type: 'kefu:init', visitorId, settings: {}, stored }, location.origin);
    return this.init;
  }

  post(message: FrameToLoader): void {
    if (this.standalone) return;
    // Before init only the harmless `ready` goes out, to whoever embeds us; after it, only to that origin.
    if (this.parentOrigin) window.parent.postMessage(message, this.parentOrigin);
    else if (message.type === 'kefu:ready') window.parent.postMessage(message, '*');
  }

  /** State for the next page view: through the loader into the shop's first-party storage (bridge.ts says why). */
  persist(key: StoreKey, value: unknown): void {
    if (this.standalone) save(this.area(key), this.key(key), value);
    else this.post({ type: 'kefu:store', key, value });
  }

  restored(key: StoreKey): unknown {
    return this.init?.stored[key];
  }

  private area(key: StoreKey): 'local' | 'session' {
    return key === 'outbox' ? 'session' : 'local';
  }

  private key(key: StoreKey): string {
    return `kefu.${key}.${this.publicId}`;
  }
}
