import { useTranslation } from 'react-i18next';
import { ApiError } from './http.ts';

/** Codes whose server message adds something the translated sentence cannot know (which field, what exists). */
const withDetail = new Set(['bad_request', 'conflict', 'invalid_input']);

/** Turns an error into a sentence in the current language, keyed on the server's error code. */
export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error: unknown) => {
    const code = error instanceof ApiError ? error.code : 'unknown';
    const key = `errors.${code}`;
    if (code !== 'unknown' && code !== 'requestId' && i18n.exists(key)) {
      const text = t(key as 'errors.unknown', { code });
      const detail = error instanceof ApiError && withDetail.has(code) ? error.message : '';
      return detail ? `${text}${i18n.language === 'en' ? ': ' : '：'}${detail}` : text;
    }
    if (error instanceof ApiError && error.status === 403) return t('errors.forbidden');
    if (error instanceof ApiError && error.status >= 500) return t('errors.internal');
    const detail = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
    return `${t('errors.unknown', { code })}${detail ? `: ${detail}` : ''}`;
  };
}
