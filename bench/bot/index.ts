/**
 * `npm run bench -- bot`: the bot's quality on bench/bot (per language and overall, trained on the
 * dev file, scored on the test file) and its speed: answer latency p50/p99 over 5,000 entries with
 * 5 similar questions each, index build time and memory.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { format } from '../../src/cli/commands/bot.ts';
import {
  buildMatcher,
  evaluate,
  lexiconOf,
  Matcher,
  type FaqLine,
  type QueryLine,
} from '../../src/server/modules/bot/index.ts';
import { percentile } from '../server.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
/** One of this folder's JSONL files (faq, dev, test), a line an object. */
export const read = <T>(f: string): T[] =>
  readFileSync(`${dir}/${f}`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

function quality(): void {
  const faq = read<FaqLine>('faq.jsonl');
  const dev = read<QueryLine>('dev.jsonl');
  const test = read<QueryLine>('test.jsonl');
  const han = (q: QueryLine) => /\p{Script=Han}/u.test(q.query);
  for (const [name, withDev] of [
    ['trained on dev', true],
    ['self-calibrated (no dev)', false],
  ] as const) {
    const m = buildMatcher(faq, withDev ? dev : undefined);
    for (const [lang, pick] of [
      ['all', () => true],
      ['zh', han],
      ['en', (q: QueryLine) => !han(q)],
    ] as const) {
      console.log(`\n### ${name}, ${lang}`);
      console.log(format(evaluate(m, test.filter(pick))));
    }
  }
  // The held-out sets give Chinese entries one standard question only: the same test
  // questions against this base with the Chinese entries' similar questions removed.
  const standardOnly = faq.map((f) => (/\p{Script=Han}/u.test(f.question) ? { ...f, similar: [] } : f));
  console.log('\n### trained on dev, zh, Chinese entries with their standard question only');
  console.log(format(evaluate(buildMatcher(standardOnly, dev), test.filter(han))));
}

/** A deterministic pseudo-random stream (the benchmark is the same every run). */
function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function speed(): void {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const products = [
    '羽绒服',
    '牛仔裤',
    'T恤',
    '保温杯',
    '蓝牙耳机',
    '电热水壶',
    '围巾',
    '运动鞋',
    '面膜',
    '奶粉',
    '手机壳',
    '床上四件套',
  ];
  const topics = [
    '发货',
    '退货',
    '换货',
    '退款',
    '发票',
    '价保',
    '优惠券',
    '满减',
    '尺码',
    '质量问题',
    '保修',
    '物流',
    '包邮',
    '赠品',
    '会员积分',
  ];
  const forms = [
    '怎么{t}',
    '{p}{t}要多久',
    '{p}可以{t}吗',
    '{p}的{t}规则是什么',
    '为什么{p}不能{t}',
    '{t}需要什么条件',
    '{p}{t}运费谁出',
  ];
  const q = () => pick(forms).replace('{t}', pick(topics)).replace('{p}', pick(products));
  const entries = Array.from({ length: 5000 }, (_, i) => ({
    id: `e${i}`,
    question: `${q()}（${i}）`,
    similar: Array.from({ length: 5 }, q),
  }));
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const m = new Matcher(entries, lexiconOf([]));
  const buildMs = performance.now() - t0;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const queries = Array.from({ length: 2000 }, q);
  for (const x of queries.slice(0, 100)) m.search(x); // warm-up
  const lat: number[] = [];
  // CPU time per query (user + system of this process) survives a loaded machine better than wall time.
  const cpu: number[] = [];
  for (const x of queries) {
    const c = process.cpuUsage();
    const a = performance.now();
    m.search(x);
    lat.push(performance.now() - a);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  lat.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `\n### speed: 5,000 entries × 5 similar questions (30,000 questions)\nindex build ${buildMs.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB; answer latency over ${queries.length} queries: p50 ${percentile(lat, 50).toFixed(2)} ms, p99 ${percentile(lat, 99).toFixed(2)} ms, max ${lat[lat.length - 1]!.toFixed(2)} ms; CPU time per query p50 ${percentile(cpu, 50).toFixed(2)} ms, p99 ${percentile(cpu, 99).toFixed(2)} ms, mean ${(cpu.reduce((s, x) => s + x, 0) / cpu.length).toFixed(2)} ms; load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
}

export async function bot(): Promise<void> {
  quality();
  speed();
}
