/**
 * The start order of test files (sequencer.ts): the committed durations name only test files that
 * exist and that their project includes, the configuration uses the sequencer, and files start
 * slowest first with unlisted ones at their estimate.
 */
import { existsSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../../vitest.config.ts';
import {
  durationsOfReport,
  readDurations,
  repoRoot,
  slowestFirst,
  SlowestFirstSequencer,
  unlistedSeconds,
} from './sequencer.ts';

const projects = (config.test?.projects ?? []) as { test: { name: string; include: string[] } }[];

describe('the test sequencer', () => {
  it('is the configured sequencer, and its list names only existing files of each project', () => {
    expect(config.test?.sequence?.sequencer).toBe(SlowestFirstSequencer);
    const durations = readDurations();
    expect(Object.keys(durations).sort()).toEqual(projects.map((p) => p.test.name).sort());
    for (const [project, files] of Object.entries(durations)) {
      const include = projects.find((p) => p.test.name === project)!.test.include;
      for (const [file, seconds] of Object.entries(files)) {
        expect(existsSync(join(repoRoot, file)), `${project}: ${file} is listed but does not exist`).toBe(true);
        expect(
          include.some((g) => matchesGlob(file, g)),
          `${project}: ${file} is not a file the project includes`,
        ).toBe(true);
        expect(Number.isFinite(seconds) && seconds >= 0, `${file}: ${seconds} s`).toBe(true);
      }
    }
  });

  it('starts the slowest file first, an unlisted file at its estimate, ties by path', () => {
    const listed: Record<string, number> = { 'a.test.ts': 5, 'b.test.ts': 300, 'c.test.ts': 40, 'e.test.ts': 10 };
    const order = slowestFirst(
      ['a.test.ts', 'b.test.ts', 'c.test.ts', 'd.test.ts', 'e.test.ts'],
      (f) => listed[f],
      (f) => f,
    );
    expect(unlistedSeconds).toBe(10);
    expect(order).toEqual(['b.test.ts', 'c.test.ts', 'd.test.ts', 'e.test.ts', 'a.test.ts']);
  });

  it('reads per-file seconds from a Vitest JSON report, relative to the repository', () => {
    const report = {
      testResults: [
        { name: join(repoRoot, 'src/x.test.ts'), startTime: 1_000, endTime: 13_340 },
        { name: join(repoRoot, 'e2e/y.e2e.test.ts'), startTime: 0, endTime: 950 },
      ],
    };
    expect(durationsOfReport(report)).toEqual({ 'e2e/y.e2e.test.ts': 1, 'src/x.test.ts': 12.3 });
  });
});
