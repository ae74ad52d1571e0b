/**
 * The console's one way to talk to the server: JSON in, JSON out, errors as ApiError.
 * Every non-GET request carries the CSRF token from the last Me response.
 */

export type ErrorInfo = { code: string; message: string; requestId: string; issues?: unknown[] };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly issues: unknown[] | undefined;

  constructor(status: number, info: Partial<ErrorInfo>) {
    super(info.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = info.code ?? (status === 0 ? 'network_error' : `http_${status}`);
    this.requestId = info.requestId;
    this.issues = info.issues;
  }
}

let csrfToken: string | null = null;

/** Remember the CSRF token of the current session (from the last Me response). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, { message: cause instanceof Error ? cause.message : String(cause) });
  }

  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const info = (data as { error?: Partial<ErrorInfo> } | undefined)?.error;
    throw new ApiError(response.status, info ?? {});
  }
  return data as T;
}

/** A POST whose answer is a file (an export): the body as a Blob and the file name the server gave. */
export async function postForFile(path: string, body: unknown = {}): Promise<{ blob: Blob; filename: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body) });
  } catch (cause) {
    throw new ApiError(0, { message: cause instanceof Error ? cause.message : String(cause) });
  }
  if (!response.ok) {
    const info = ((await response.json().catch(() => undefined)) as { error?: Partial<ErrorInfo> } | undefined)?.error;
    throw new ApiError(response.status, info ?? {});
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
  return { blob: await response.blob(), filename };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Build a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
