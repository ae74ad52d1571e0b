/**
 * `lib/time` is pure and sits below every module (sla, inboxes, later incidents): it may import
 * packages, its own files and the two lib helpers it needs, never a module or anything with I/O.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./', import.meta.url);
const allowed = (spec: string) =>
  spec.startsWith('./') || spec === '../errors.ts' || spec === '../validation.ts' || /^[a-z@]/.test(spec);

describe('lib/time imports', () => {
  it('imports no module and no server infrastructure', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files).toContain('index.ts');
    const bad: string[] = [];
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      for (const m of text.matchAll(/\bfrom\s+'([^']+)'/g)) if (!allowed(m[1])) bad.push(`${f}: ${m[1]}`);
      for (const m of text.matchAll(/\bimport\s*\(\s*'([^']+)'/g)) if (!allowed(m[1])) bad.push(`${f}: ${m[1]}`);
    }
    expect(bad).toEqual([]);
  });
});
