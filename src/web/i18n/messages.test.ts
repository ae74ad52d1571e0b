/** Each language reads as itself (defects 6 and 9): no bilingual pairs in Chinese, no typographic gaps in English. */
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

function strings(o: unknown, path = ''): [string, string][] {
  if (typeof o === 'string') return [[path, o]];
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

const han = /[\u4e00-\u9fff]/;

describe('console messages', () => {
  it('has no "中文 / English" pairs in the Chinese messages', () => {
    const pairs = strings(zhCN)
      .map(([k, v]) => [k, v.replace(/\{\{\w+\}\}/g, '')] as const)
      // "内部备注 / Internal note": one side Chinese, the other English words (acronyms like PDF or SLA are fine).
      .filter(([, v]) => {
        const sides = v.split(' / ');
        return (
          sides.length > 1 && sides.some((x) => han.test(x)) && sides.some((x) => !han.test(x) && /[a-z]{3,}/.test(x))
        );
      });
    // The language switch names both languages on purpose.
    expect(pairs.filter(([k]) => !k.startsWith('language.'))).toEqual([]);
  });

  it('uses a plain apostrophe in English (a typographic one is drawn full width by CJK fonts: "China’ s")', () => {
    expect(strings(en).filter(([, v]) => v.includes('’'))).toEqual([]);
  });

  it('has no Chinese sentences in the English messages (examples such as names may stay)', () => {
    const chinese = strings(en).filter(([, v]) => /[\u4e00-\u9fff]{5,}/.test(v) && !/[“"']/.test(v));
    expect(chinese).toEqual([]);
  });

  it('has no "中文 / English" pairs in the English messages either (the inbox note label was one)', () => {
    const pairs = strings(en).filter(([k, v]) => {
      const sides = v.split(' / ');
      return (
        !k.startsWith('language.') &&
        sides.length > 1 &&
        sides.some((x) => han.test(x)) &&
        sides.some((x) => !han.test(x))
      );
    });
    expect(pairs).toEqual([]);
  });
});

describe('what the forms promise', () => {
  it('says that shoppers see the inbox name (the widget shows it as its title: defect 3)', () => {
    expect(zhCN.inboxes.nameHelp).toContain('顾客');
    expect(en.inboxes.nameHelp).toMatch(/shoppers/);
    expect(zhCN.inboxes.nameHelp).not.toContain('只在控制台');
  });
});

describe('the SLA policy form', () => {
  it('says that a saved policy also applies to unsolved tickets without one (defect 5)', () => {
    expect(zhCN.sla.policy.conditionsHelp).toContain('未解决');
    expect(en.sla.policy.conditionsHelp).toContain('unsolved tickets that have no policy');
  });
});
