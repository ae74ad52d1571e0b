/**
 * `npm test`: the unit project and the browser (e2e) project side by side, each in its own Vitest
 * process, every line prefixed with its project. Run one after the other they took ~15 + ~22 minutes
 * on a 2-core machine; side by side ~22, because most of a browser test's time is spent waiting
 * (on the server, on Chromium, on a poll) and most of a unit file's on PostgreSQL, Redis or a child
 * process (docs/PERFORMANCE.md, "Test suite time").
 *
 *   npm test                        both projects, side by side
 *   KEFU_TEST_SEQUENTIAL=1 npm test one after the other (a machine with one core)
 *   npm test -- <vitest arguments>  one plain `vitest run <arguments>` (e.g. a file or `--project e2e`)
 *
 * Exits 1 when either project fails (both always run to the end, so one run shows every failure),
 * and ends with one line per project (its exit code and minutes) followed by the failed files and
 * tests it printed; with KEFU_TEST_SUMMARY set, that summary is also written to that file.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

type Outcome = { project: string; code: number; seconds: number; failures: string[] };

/** A line naming a failed file or test in Vitest's default reporter (`FAIL  file > test`, ` × test`), without colours. */
export function failureLine(line: string): string | null {
  // eslint-disable-next-line no-control-regex
  const plain = line.replace(/\u001b\[[0-9;]*m/g, '').trim();
  return /^(FAIL|×|✗)\s/.test(plain) ? plain : null;
}

/** Runs `vitest run <args>`; with a prefix, each output line is written with it (the two runs' lines interleave). */
function run(args: string[], prefix?: string): Promise<Outcome> {
  const started = Date.now();
  const failures = new Set<string>();
  const child = spawn(process.execPath, [vitest, 'run', ...args], {
    cwd: root,
    stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: process.env,
  });
  if (prefix)
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const)
      createInterface({ input: stream! }).on('line', (line) => {
        out.write(`${prefix} ${line}\n`);
        const failed = failureLine(line);
        if (failed) failures.add(failed);
      });
  return new Promise((resolve) =>
    child.on('close', (code, signal) =>
      resolve({
        project: prefix?.replace(/[[\]]/g, '') ?? args.join(' '),
        code: code ?? (signal ? 1 : 0),
        seconds: Math.round((Date.now() - started) / 1000),
        failures: [...failures],
      }),
    ),
  );
}

async function main(): Promise<number> {
  const extra = process.argv.slice(2);
  if (extra.length > 0) return (await run(extra)).code;
  const projects = ['unit', 'e2e'];
  const outcomes: Outcome[] = [];
  if (process.env.KEFU_TEST_SEQUENTIAL === '1')
    for (const p of projects) outcomes.push(await run(['--project', p], `[${p}]`));
  else outcomes.push(...(await Promise.all(projects.map((p) => run(['--project', p], `[${p}]`)))));
  const summary = outcomes.flatMap((o) => [
    `${o.project}: ${o.code === 0 ? 'passed' : `FAILED (exit ${o.code})`} in ${(o.seconds / 60).toFixed(1)} min`,
    ...o.failures.slice(0, 30).map((f) => `  ${f}`),
  ]);
  console.log(summary.join('\n'));
  // CI shows only the end of its log, after the static checks' output: it prints this file last.
  if (process.env.KEFU_TEST_SUMMARY) writeFileSync(process.env.KEFU_TEST_SUMMARY, summary.join('\n') + '\n');
  return outcomes.every((o) => o.code === 0) ? 0 : 1;
}

if (import.meta.main) process.exitCode = await main();
