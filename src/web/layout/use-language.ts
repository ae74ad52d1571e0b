import { useTranslation } from 'react-i18next';
import { isLanguage, rememberLanguage, type Language } from '../i18n/language.ts';

/** The console language and a setter that also remembers it (localStorage `kefu.lang`). */
export function useLanguage(): [Language, (language: Language) => void] {
  const { i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const change = (language: Language) => {
    rememberLanguage(language);
    document.documentElement.lang = language;
    void i18n.changeLanguage(language);
  };
  return [current, change];
}
