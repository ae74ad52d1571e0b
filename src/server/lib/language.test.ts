import { describe, expect, it } from 'vitest';
import { acceptedLanguage, languageOf } from './language.ts';

describe('the reader language', () => {
  it('reads a stored language as zh-CN unless it is English', () => {
    expect(languageOf('en')).toBe('en');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('zh-CN')).toBe('zh-CN');
    expect(languageOf(null)).toBe('zh-CN');
    expect(languageOf('fr')).toBe('zh-CN');
  });

  it('picks the preferred language of an Accept-Language header, or none', () => {
    expect(acceptedLanguage('en-US,en;q=0.9')).toBe('en');
    expect(acceptedLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(acceptedLanguage('zh;q=0.5, en;q=0.8')).toBe('en');
    expect(acceptedLanguage('fr-FR, en;q=0.3')).toBe('en');
    expect(acceptedLanguage('fr-FR')).toBeNull();
    expect(acceptedLanguage('en;q=0, zh-TW')).toBe('zh-CN');
    expect(acceptedLanguage(undefined)).toBeNull();
  });
});
