/**
 * `kefu bot eval` on the team's evaluation set (bench/bot: a knowledge base of e-commerce FAQs in
 * Chinese and English, dev and test queries with out-of-scope ones): the CLI's contract, its
 * errors, and the quality floors CI holds the engine to (bench/bot/floors.json).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io.ts';
import { runCli } from '../../../cli/program.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kefu-bot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    env: process.env,
    cwd: root,
    out: (t) => void (out.stdout += t),
    err: (t) => void (out.stderr += t),
    exitCode: 0,
  };
  const { code } = await runCli(['bot', 'eval', ...args], io);
  return { code, ...out };
}

describe('kefu bot eval', () => {
  it('meets the floors on bench/bot (trained on dev, scored on test)', async () => {
    const r = await run([
      '--faq',
      'bench/bot/faq.jsonl',
      '--dev',
      'bench/bot/dev.jsonl',
      '--queries',
      'bench/bot/test.jsonl',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const floors = JSON.parse(readFileSync(join(root, 'bench/bot/floors.json'), 'utf8'));
    expect(report.counts.faq).toBeGreaterThanOrEqual(150);
    expect(report.counts.queries * 2).toBeGreaterThanOrEqual(600);
    for (const k of ['top1', 'recall5', 'coverage', 'precision', 'outOfScopeHandedOff'])
      expect(report[k], `${k}: ${JSON.stringify(report)}`).toBeGreaterThanOrEqual(floors[k]);
  }, 60_000);

  it('has a sane evaluation set: labels exist, both languages and out-of-scope in each file, no leaks', () => {
    const read = (f: string) =>
      readFileSync(join(root, 'bench/bot', f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const faq = read('faq.jsonl') as { id: string; question: string; similar?: string[] }[];
    const ids = new Set(faq.map((f) => f.id));
    expect(ids.size).toBe(faq.length);
    const key = (s: string) => s.toLowerCase().replace(/[\s?？!！。.,，]/g, '');
    const faqQuestions = new Set(faq.flatMap((f) => [f.question, ...(f.similar ?? [])]).map(key));
    const han = (s: string) => /\p{Script=Han}/u.test(s);
    const files = ['dev.jsonl', 'test.jsonl'].map(
      (f) => read(f) as { id: string; query: string; label: string; accept?: string[] }[],
    );
    for (const qs of files) {
      expect(new Set(qs.map((q) => q.id)).size).toBe(qs.length);
      for (const q of qs) {
        expect(q.label === 'none' || ids.has(q.label), q.id).toBe(true);
        for (const a of q.accept ?? []) expect(ids.has(a), q.id).toBe(true);
        expect(faqQuestions.has(key(q.query)), `${q.id} copies a knowledge-base question`).toBe(false);
      }
      expect(qs.filter((q) => han(q.query) && q.label !== 'none').length).toBeGreaterThanOrEqual(150);
      expect(qs.filter((q) => !han(q.query) && q.label !== 'none').length).toBeGreaterThanOrEqual(80);
      expect(qs.filter((q) => q.label === 'none').length).toBeGreaterThanOrEqual(30);
    }
    const devQueries = new Set(files[0]!.map((q) => key(q.query)));
    expect(files[1]!.filter((q) => devQueries.has(key(q.query)))).toEqual([]);
    expect(files[0]!.length + files[1]!.length).toBeGreaterThanOrEqual(600);
  });

  it('prints the figures as text, ignores unknown fields, and accepts other right answers', async () => {
    const faq = join(dir, 'faq.jsonl');
    const q = join(dir, 'q.jsonl');
    writeFileSync(
      faq,
      [
        { id: 'a', question: '什么时候发货', similar: ['几天发货'], extra: 1 },
        { id: 'b', question: '怎么退货', answer: '…' },
        { id: 'c', question: '退货流程是什么' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    writeFileSync(
      q,
      [
        { id: '1', query: '多久发货', label: 'a', lang: 'zh' },
        { id: '2', query: '退货流程', label: 'b', accept: ['c'] },
        { id: '3', query: '今天天气', label: 'none' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    const r = await run(['--faq', faq, '--queries', q]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('top-1 accuracy        100.0 %');
    expect(r.stdout).toContain('queries: 3 (2 in scope, 1 out of scope)');
  });

  it('names every broken line and exits 2', async () => {
    const faq = join(dir, 'bad.jsonl');
    writeFileSync(faq, '{"id":"a","question":"q"}\n{oops\n{"question":"no id"}\n');
    const r = await run(['--faq', faq, '--queries', join(dir, 'missing.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.jsonl:2: not valid JSON');
    expect(r.stderr).toContain('bad.jsonl:3: needs "id"');
    expect(r.stderr).toContain('missing.jsonl: cannot read (ENOENT)');
  });
});
