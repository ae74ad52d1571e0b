/**
 * The order test files start in: the slowest first, from a committed list of per-file durations
 * (durations.json beside this file, seconds per project and file). CI has no Vitest cache, so
 * Vitest's own order there is by file size, and a long file that starts near the end stretches
 * the run's tail while the other worker idles. A file the list does not name is taken to last
 * `unlistedSeconds` (new files are seldom the slowest; a stale estimate only costs tail time).
 *
 * Refresh the list after a change that moves a file's time a lot, from a JSON report per project:
 *   npx vitest run --project unit --reporter=json --outputFile=/tmp/unit.json
 *   npx node src/server/testing/sequencer.ts /tmp/unit.json [/tmp/e2e.json]
 * (a reported file's entry is replaced, others are kept, and files that no longer exist are
 * dropped). sequencer.test.ts checks the list names only files that exist and that its project
 * includes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const durationsFile = fileURLToPath(new URL('./durations.json', import.meta.url));
/** The repository root (test files are listed relative to it). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Seconds per file, per project: `{ unit: { 'src/…/x.test.ts': 12.3 }, e2e: {…} }`. */
export type Durations = Record<string, Record<string, number>>;

/** A file the list does not name is estimated at this many seconds. */
export const unlistedSeconds = 10;

export function readDurations(file = durationsFile): Durations {
  return JSON.parse(readFileSync(file, 'utf8')) as Durations;
}

/** Files of one project in start order: longest estimate first, then by path (stable across runs). */
export function slowestFirst<T>(files: T[], durationOf: (f: T) => number | undefined, pathOf: (f: T) => string): T[] {
  const est = (f: T) => durationOf(f) ?? unlistedSeconds;
  return [...files].sort((a, b) => est(b) - est(a) || (pathOf(a) < pathOf(b) ? -1 : pathOf(a) > pathOf(b) ? 1 : 0));
}

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const durations = readDurations();
    const path = (s: TestSpecification) => relative(this.ctx.config.root, s.moduleId);
    const byProject = new Map<string, TestSpecification[]>();
    for (const f of files) byProject.set(f.project.name, [...(byProject.get(f.project.name) ?? []), f]);
    // Projects keep Vitest's order between them (by name); within one, the slowest file starts first.
    return [...byProject.keys()]
      .sort()
      .flatMap((name) => slowestFirst(byProject.get(name)!, (s) => durations[name]?.[path(s)], path));
  }
}

type JsonReport = { testResults: { name: string; startTime: number; endTime: number }[] };

/** Per-file seconds of a Vitest JSON report (one project), keyed by path from the repository root. */
export function durationsOfReport(report: JsonReport, root = repoRoot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of [...report.testResults].sort((a, b) => (a.name < b.name ? -1 : 1)))
    out[relative(root, r.name)] = Math.round((r.endTime - r.startTime) / 100) / 10;
  return out;
}

/** Which project a report is of: the one whose committed entries share the most files with it. */
function projectOf(durations: Durations, files: string[]): string {
  const score = (name: string) => files.filter((f) => f in (durations[name] ?? {})).length;
  const names = Object.keys(durations).sort((a, b) => score(b) - score(a));
  if (!names.length || score(names[0]) === 0) {
    // A first list: e2e files are named *.e2e.test.ts.
    return files.every((f) => f.endsWith('.e2e.test.ts')) ? 'e2e' : 'unit';
  }
  return names[0];
}

if (import.meta.main) {
  const reports = process.argv.slice(2);
  if (!reports.length) {
    console.error('usage: node src/server/testing/sequencer.ts <vitest JSON report>...');
    process.exit(2);
  }
  const durations = readDurations();
  for (const file of reports) {
    const files = durationsOfReport(JSON.parse(readFileSync(file, 'utf8')) as JsonReport);
    const project = projectOf(durations, Object.keys(files));
    const merged = { ...durations[project], ...files };
    durations[project] = Object.fromEntries(
      Object.entries(merged)
        .filter(([f]) => existsSync(join(repoRoot, f)))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    console.log(`${project}: ${Object.keys(files).length} files from ${file}`);
  }
  writeFileSync(durationsFile, JSON.stringify(durations, null, 2) + '\n');
}
