/** Red is for breaches and errors only (defect 7): ordinary states and labels are calm. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { priorityColors, statusColors } from './model.ts';

const alarming = ['red', 'error', 'volcano', 'magenta', '#ff4d4f', '#f5222d'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );
}

describe('colours', () => {
  it('gives no ticket status an alarming colour', () => {
    for (const [status, color] of Object.entries(statusColors)) expect(alarming, status).not.toContain(color);
  });

  it('keeps red for the most urgent priority at most', () => {
    expect(Object.entries(priorityColors).filter(([, c]) => alarming.includes(c))).toEqual([['urgent', 'red']]);
  });

  it('uses red tags only where something failed or expired', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const red = files(root)
      .filter((f) => /<Tag color="red"/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(root.length));
    // An LLM whose last call failed; an expired token.
    expect(red).toEqual(['features/knowledge/llm-settings-card.tsx', 'features/tokens/tokens-page.tsx']);
  });
});
