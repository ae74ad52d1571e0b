/** The installation's components (web chat, console, database …) and their names in the reader's language. */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../shared/http.ts';

export type ComponentInfo = { name: string; title: string; titleEn: string };

export const componentsQuery = () =>
  queryOptions({
    queryKey: ['ops', 'components'],
    queryFn: () => api.get<{ items: ComponentInfo[] }>('/api/ops/components'),
  });

/** A component's title in `language` ("网页在线客服" / "Web chat"); its key when it is not (yet) known. */
export function componentTitle(name: string, components: readonly ComponentInfo[] | undefined, language: string) {
  const c = components?.find((x) => x.name === name);
  if (!c) return name;
  return language === 'en' ? c.titleEn : c.title;
}
