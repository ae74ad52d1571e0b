import type { languages } from '../../shared/api.ts';

/** A console language; the same list the API accepts as a workspace's default language. */
export type Language = (typeof languages)[number];

/** Runtime copy of the API's language list (a type import keeps zod out of the bundle); checked both ways. */
export const supportedLanguages = ['zh-CN', 'en'] as const satisfies readonly Language[];
type Missing = Exclude<Language, (typeof supportedLanguages)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;

const storageKey = 'kefu.lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (supportedLanguages as readonly string[]).includes(value);
}

/** The language remembered in localStorage, else Simplified Chinese. */
export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage blocked: fall through to the default
  }
  return 'zh-CN';
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}
