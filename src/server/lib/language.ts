/**
 * The reader's language for text the server writes for people (notes, pages, notifications,
 * e-mails): one language per text, never a Chinese-slash-English pair. Each module keeps its words in a
 * small catalogue (`Record<Language, …>`) and picks one with the reader's language: the shopper's
 * widget language, the workspace's default language for agents and on-call people, the
 * Accept-Language header on public pages; Simplified Chinese when nothing says otherwise.
 */
export type Language = 'zh-CN' | 'en';
export const languages: readonly Language[] = ['zh-CN', 'en'];

/** A stored or requested language ("en", "en-US", "zh-CN", null) as one Kefu speaks: zh-CN unless English. */
export function languageOf(value: string | null | undefined): Language {
  return /^en\b/i.test((value ?? '').trim()) ? 'en' : 'zh-CN';
}

/**
 * The language an Accept-Language header prefers among Kefu's (by quality, then order), or null
 * when it names neither (or is missing), so the caller can fall back to the workspace's language.
 */
export function acceptedLanguage(header: string | string[] | null | undefined): Language | null {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranked = value
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: (tag ?? '').trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return null;
}
