/** HTTP side of the knowledge base (知识库), the bot's "try it" box, unanswered questions and bot settings. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { BotSettings } from '../../../shared/bot-api.ts';
import type { BotLlmBody, BotLlmView } from '../../../shared/bot-llm-api.ts';
import type { Entry, EntryInput, Term } from '../../../shared/knowledge-api.ts';
import { api, query, request } from '../../shared/http.ts';

export type { Entry, EntryInput, Term, BotSettings, BotLlmBody, BotLlmView };
export type TryResult = {
  intent: string | null;
  orderNo: string | null;
  band: 'answer' | 'suggest' | 'handoff';
  confidence: number;
  threshold: number;
  answer: string | null;
  candidates: { id: string; question: string; category: string; score: number }[];
  entries: number;
  /** What re-ranked the engine's result: 'dense' (the embedding model), 'llm'. */
  refinedBy?: string[];
};
export type UnansweredGroup = {
  sample: string;
  count: number;
  queries: string[];
  /** The group's shopper messages, for linking the group to an entry. */
  messageIds: string[];
  lastAt: string;
};

const key = ['knowledge'] as const;
const enc = encodeURIComponent;

export const entriesQuery = (q: string) =>
  queryOptions({
    queryKey: [...key, 'entries', q],
    queryFn: () =>
      api.get<{ items: Entry[]; nextCursor: string | null }>(`/api/knowledge/entries${query({ q, limit: 500 })}`),
  });
export const tryQuery = (text: string) =>
  queryOptions({
    queryKey: [...key, 'try', text],
    queryFn: () => api.get<TryResult>(`/api/bot/try${query({ text })}`),
    enabled: text.trim().length > 0,
  });
export const unansweredQuery = () =>
  queryOptions({
    queryKey: [...key, 'unanswered'],
    queryFn: () => api.get<{ items: UnansweredGroup[] }>('/api/bot/unanswered'),
  });
export const termsQuery = () =>
  queryOptions({ queryKey: [...key, 'terms'], queryFn: () => api.get<{ terms: Term[] }>('/api/knowledge/terms') });
export const botSettingsQuery = (inboxId: string) =>
  queryOptions({
    queryKey: ['bot-settings', inboxId],
    queryFn: () => api.get<BotSettings & { stored: boolean }>(`/api/bot/inboxes/${enc(inboxId)}`),
    enabled: !!inboxId,
  });

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: key });
}

export function useSaveEntry() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: EntryInput & { id?: string }) =>
      id
        ? request<Entry>('PUT', `/api/knowledge/entries/${enc(id)}`, body)
        : api.post<Entry>('/api/knowledge/entries', body),
    onSuccess: invalidate,
  });
}

export function useBulk() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { ids: string[]; delete?: boolean; enabled?: boolean; category?: string }) =>
      api.post<{ count: number }>('/api/knowledge/bulk', body),
    onSuccess: invalidate,
  });
}

export function useImport() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { format: 'jsonl' | 'csv' | 'xlsx'; content: string }) =>
      api.post<{ created: number; updated: number }>('/api/knowledge/import', body),
    onSuccess: invalidate,
  });
}

/** Ties unanswered questions to the entry that answers them (the bot learns from it; they leave the list). */
export function useLinkUnanswered() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { messageIds: string[]; entryId: string }) =>
      api.post<{ linked: number }>('/api/bot/unanswered/link', body),
    onSuccess: invalidate,
  });
}

export function useSaveTerms() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (terms: Term[]) => request<{ terms: Term[] }>('PUT', '/api/knowledge/terms', { terms }),
    onSuccess: invalidate,
  });
}

export function useSaveBotSettings(inboxId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BotSettings) => request<BotSettings>('PUT', `/api/bot/inboxes/${enc(inboxId)}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bot-settings', inboxId] }),
  });
}

export const llmSettingsQuery = () =>
  queryOptions({ queryKey: ['bot-llm'], queryFn: () => api.get<BotLlmView>('/api/bot/llm') });

export function useSaveLlmSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BotLlmBody) => request<BotLlmView>('PUT', '/api/bot/llm', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bot-llm'] }),
  });
}

export function useTestLlm() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      request<{ ok: boolean; ms: number; error: string | null; choice: number | null }>('POST', '/api/bot/llm/test'),
    onSettled: () => client.invalidateQueries({ queryKey: ['bot-llm'] }),
  });
}

/** Downloads the export (the browser saves it as a file). */
export async function downloadExport(format: 'jsonl' | 'csv' | 'xlsx'): Promise<void> {
  const res = await fetch(`/api/knowledge/export?format=${format}`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`export failed: ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `knowledge.${format}`;
  a.click();
  URL.revokeObjectURL(url);
}

/** A chosen file as the import wants it: text for JSONL/CSV, base64 for XLSX. */
export async function readImportFile(
  file: File,
): Promise<{ format: 'jsonl' | 'csv' | 'xlsx'; content: string } | null> {
  const ext = file.name.split('.').pop()?.toLowerCase();
  if (ext === 'jsonl' || ext === 'csv') return { format: ext, content: await file.text() };
  if (ext === 'xlsx') {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { format: 'xlsx', content: btoa(bin) };
  }
  return null;
}
