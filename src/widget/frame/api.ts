/** The widget's HTTP calls (same origin as the frame). Errors carry the server's `{ error: { code, message } }`. */
import type { z } from 'zod';
import type { OfflineMessageBody, WidgetSession as WidgetSessionSchema } from '../../shared/chat-api.ts';
import type { CsatAnswer, CsatCardData } from '../../shared/csat-card.ts';
import type { Attachment } from '../../shared/realtime/protocol.ts';
import type { SessionBody, WidgetConfig } from './settings.ts';

export type WidgetSession = z.infer<typeof WidgetSessionSchema>;
export type OfflineMessage = z.input<typeof OfflineMessageBody>;

/** The server's upload limit; checked here too so a shopper on mobile data does not upload 50 MB to be told no. */
export const maxUploadBytes = 10 * 1024 * 1024;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request<T>(path: string, init: RequestInit & { token?: string | null } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Widget ${init.token}`);
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers,
      credentials: 'omit',
      signal: init.signal ?? AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
  }
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* a proxy's HTML error page */
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      typeof error?.message === 'string' ? error.message : response.statusText,
    );
  }
  return body as T;
}

export function widgetApi(publicId: string) {
  const base = `/api/widget/${encodeURIComponent(publicId)}`;
  return {
    config: () => request<WidgetConfig>(`${base}/config`),
    session: (body: SessionBody) =>
      request<WidgetSession>(`${base}/session`, { method: 'POST', body: JSON.stringify(body) }),
    offlineMessage: (body: OfflineMessage, token: string | null) =>
      request<{ ok: true }>(`${base}/offline-message`, { method: 'POST', body: JSON.stringify(body), token }),
    context: (
      body: { url: string; title: string; referrer: string; timeZone?: string; language?: string },
      token: string,
    ) => request<unknown>(`${base}/context`, { method: 'POST', body: JSON.stringify(body), token }),
    rateAnswer: (messageId: string, useful: boolean, token: string) =>
      request<{ ok: true; rating: number }>(`${base}/bot-rating`, {
        method: 'POST',
        body: JSON.stringify({ messageId, useful }),
        token,
      }),
    csat: (requestId: string, token: string) =>
      request<CsatCardData>(`${base}/csat/${encodeURIComponent(requestId)}`, { token }),
    rate: (requestId: string, answer: CsatAnswer, token: string) =>
      request<CsatCardData>(`${base}/csat/${encodeURIComponent(requestId)}`, {
        method: 'POST',
        body: JSON.stringify(answer),
        token,
      }),
    upload: (file: File, token: string) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return request<Attachment>('/api/uploads', {
        method: 'POST',
        body: form,
        token,
        signal: AbortSignal.timeout(120_000),
      });
    },
  };
}
export type WidgetApi = ReturnType<typeof widgetApi>;
