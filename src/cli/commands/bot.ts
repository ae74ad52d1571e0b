import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  buildMatcher,
  evaluate,
  type EvalReport,
  type FaqLine,
  type QueryLine,
} from '../../server/modules/bot/index.ts';
import type { CliIo } from '../io.ts';

type Options = { faq: string; queries: string; dev?: string; json?: boolean; precision: string };

/** Reads a JSONL file; every broken line is a problem with its line number. Unknown fields are ignored. */
function readJsonl<T>(
  file: string,
  cwd: string,
  problems: string[],
  check: (v: Record<string, unknown>) => string | null,
): T[] {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (err) {
    problems.push(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return [];
  }
  const out: T[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      problems.push(`${file}:${i + 1}: not valid JSON`);
      return;
    }
    const problem = v && typeof v === 'object' ? check(v as Record<string, unknown>) : 'not an object';
    if (problem) problems.push(`${file}:${i + 1}: ${problem}`);
    else out.push(v as T);
  });
  return out;
}

const str = (v: unknown) => typeof v === 'string' && v.length > 0;
const strs = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
const faqCheck = (v: Record<string, unknown>) =>
  !str(v.id)
    ? 'needs "id"'
    : !str(v.question)
      ? 'needs "question"'
      : !strs(v.similar)
        ? '"similar" must be strings'
        : null;
const queryCheck = (v: Record<string, unknown>) =>
  !str(v.id)
    ? 'needs "id"'
    : typeof v.query !== 'string'
      ? 'needs "query"'
      : !str(v.label)
        ? 'needs "label"'
        : !strs(v.accept)
          ? '"accept" must be ids'
          : null;

export function format(r: EvalReport): string {
  const c = r.counts;
  return [
    `knowledge base: ${c.faq} entries; queries: ${c.queries} (${c.inScope} in scope, ${c.outOfScope} out of scope)`,
    `top-1 accuracy        ${r.top1.toFixed(1)} %`,
    `MRR@10                ${r.mrr10.toFixed(1)} %`,
    `recall@5              ${r.recall5.toFixed(1)} %`,
    `threshold             ${r.threshold}`,
    `answered (coverage)   ${r.coverage.toFixed(1)} % (${c.answered})`,
    `answers right         ${r.precision.toFixed(1)} % (${c.answeredRight})`,
    `out of scope handed off ${r.outOfScopeHandedOff.toFixed(1)} %`,
  ].join('\n');
}

/** `kefu bot eval`: the bot's retrieval engine on labelled files, as the server runs it. */
export function botCommands(program: Command, io: CliIo): void {
  program
    .command('bot')
    .description('the intelligent bot')
    .command('eval')
    .description('score the bot on a knowledge base and labelled queries (JSONL)')
    .requiredOption('--faq <file>', 'knowledge base: {"id","question","similar":[…]?,"answer"?} per line')
    .requiredOption(
      '--queries <file>',
      'test queries: {"id","query","label": <faq id> | "none","accept":[…]?} per line',
    )
    .option('--dev <file>', 'dev queries (same form): train the re-ranker and confidence, choose the threshold')
    .option('--precision <share>', 'precision the threshold aims for on the dev file', '0.9')
    .option(
      '--json',
      'print {"top1","mrr10","recall5","coverage","precision","outOfScopeHandedOff","threshold","counts"}',
    )
    .action((o: Options) => {
      const problems: string[] = [];
      const faq = readJsonl<FaqLine>(o.faq, io.cwd, problems, faqCheck);
      const queries = readJsonl<QueryLine>(o.queries, io.cwd, problems, queryCheck);
      const dev = o.dev ? readJsonl<QueryLine>(o.dev, io.cwd, problems, queryCheck) : undefined;
      const precision = Number(o.precision);
      if (!(precision > 0 && precision <= 1)) problems.push('--precision: a share between 0 and 1');
      if (!faq.length && !problems.length) problems.push(`${o.faq}: no entries`);
      if (problems.length) {
        io.err(`kefu bot eval: invalid input\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
        io.exitCode = 2;
        return;
      }
      const report = evaluate(buildMatcher(faq, dev, undefined, precision), queries);
      io.out(`${o.json ? JSON.stringify(report) : format(report)}\n`);
    });
}
