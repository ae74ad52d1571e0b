/**
 * The e-mails notifications send, in one language: the workspace's (lib/language.ts). The console
 * renders stored notifications itself, in each reader's language.
 */
import type { Language } from '../../lib/language.ts';

const words = {
  'zh-CN': {
    breached: 'SLA 已超时',
    warning: 'SLA 即将超时',
    due: '截止',
    colon: '：',
    targets: {
      firstResponse: '首次响应',
      nextResponse: '下次响应',
      periodicUpdate: '定期更新',
      resolution: '解决时限',
    } as Record<string, string>,
  },
  en: {
    breached: 'SLA breached',
    warning: 'SLA at risk',
    due: 'due',
    colon: ': ',
    targets: {
      firstResponse: 'First response',
      nextResponse: 'Next response',
      periodicUpdate: 'Periodic update',
      resolution: 'Resolution',
    } as Record<string, string>,
  },
} satisfies Record<Language, unknown>;

/** The e-mail of an SLA warning or breach about a ticket (`ref`: "#12 " or ""). */
export function slaMail(
  lang: Language,
  x: { breach: boolean; ref: string; title: string; target: string; at: string; url: string },
): { subject: string; text: string } {
  const w = words[lang];
  const head = x.breach ? w.breached : w.warning;
  const target = w.targets[x.target] ?? x.target;
  return {
    subject: `[Kefu] ${head} · ${x.ref}${x.title}`,
    text: `${head}\n${x.ref}${x.title}\n${target}${w.colon}${w.due} ${x.at}\n${x.url}\n`,
  };
}
