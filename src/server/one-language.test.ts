/**
 * Server text shown to people is in one language, the reader's (lib/language.ts), from a module's
 * catalogue: this scan fails when a "中文 / English" pair appears in src/server again. The
 * allow-list names the legitimate cases, each with its reason; an entry that no longer matches
 * fails too, so the list stays true.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Chinese, then " / " and an English word (two letters at least: "p50 / p90" is a figure, not a pair). */
const pair = /[\u4e00-\u9fff][^'"`\n]* \/ [A-Za-z]{2,}/;

const allowed: { file: string; why: string }[] = [
  {
    file: 'modules/reports/build-ops.ts',
    why: 'reports are signed bilingual documents (document.ts: merchants read Chinese, vendors English)',
  },
  { file: 'modules/reports/sections.ts', why: 'the bilingual report document' },
  { file: 'modules/reports/render.ts', why: 'renders the bilingual report document' },
  { file: 'modules/store/adapter.ts', why: 'a comment: masked examples "张** / 138****1234 / the city"' },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every "中文 / English" line of src/server, as "file:line: text". */
function bilingualPairs(): { file: string; where: string }[] {
  return sources(root).flatMap((path) => {
    const file = relative(root, path);
    return readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pair.test(line) ? [{ file, where: `${file}:${i + 1}: ${line.trim()}` }] : []));
  });
}

describe('one language per server text', () => {
  const found = bilingualPairs();

  it('finds no "中文 / English" pair outside the allow-list', () => {
    const files = new Set(allowed.map((a) => a.file));
    expect(found.filter((f) => !files.has(f.file)).map((f) => f.where)).toEqual([]);
  });

  it('has no stale allow-list entry', () => {
    expect(allowed.filter((a) => !found.some((f) => f.file === a.file)).map((a) => a.file)).toEqual([]);
  });

  it('would catch a new pair', () => {
    expect(pair.test("const s = '已确认 / Acknowledged';")).toBe(true);
    expect(pair.test("label: t('首次响应 p50 / p90', 'First response p50 / p90')")).toBe(false);
  });
});
