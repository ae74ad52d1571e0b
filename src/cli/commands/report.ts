import type { Command } from 'commander';
import { csFiguresText, computeCsFigures, parseCsInput } from '../../server/modules/reports/index.ts';
import type { CliIo } from '../io.ts';
import { readJson } from '../input-files.ts';
import { reportRenderCommand } from './report-render.ts';

/**
 * `kefu report compute` (the customer-service figures from a file, with the code the reports
 * use; definitions in docs/REPORTS.md) and `kefu report render` (a stored-data report to a file).
 */
export function reportCommands(program: Command, io: CliIo): void {
  const report = program.command('report').description('contract reports and their figures');
  report
    .command('compute')
    .description('compute the customer-service figures of a period from a file, with the code the reports use')
    .requiredOption(
      '--input <file>',
      'JSON: {period: {start, end}, conversations: [{id, createdAt, messages: [{at, from, agentId?}], resolvedAt: [], reopenedAt: []}], ratings: [{conversationId, score, at}]}',
    )
    .option(
      '--json',
      'print JSON: {frt: {count, p50, p90}, resolution: {…}, resolutionRate, fcr, csat: {count, percent}}',
    )
    .action((o: { input: string; json?: boolean }) => {
      const problems: string[] = [];
      const input = readJson(o.input, { cwd: io.cwd, problems }, parseCsInput);
      if (!input) {
        io.err(`kefu report compute: invalid input\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
        io.exitCode = 2;
        return;
      }
      const figures = computeCsFigures(input);
      io.out((o.json ? JSON.stringify(figures, null, 2) : csFiguresText(figures)) + '\n');
    });
  reportRenderCommand(report, io);
}
