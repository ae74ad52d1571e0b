import type { Locale } from 'antd/es/locale/index.js';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import type { Language } from '../i18n/language.ts';

// antd ships ES modules without "type": "module": TypeScript (NodeNext) types the default import as the
// CommonJS namespace, while the bundler hands us the locale object itself. Accept both.
const unwrap = (module: unknown): Locale => ((module as { default?: Locale }).default ?? module) as Locale;

export const antdLocales: Record<Language, Locale> = {
  'zh-CN': unwrap(zhCNModule),
  en: unwrap(enUSModule),
};
