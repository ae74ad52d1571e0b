import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  findReport,
  formats,
  produceReport,
  render,
  reportTypes,
  workspaceIdBySlug,
  type Format,
  type ReportType,
} from '../../server/modules/reports/index.ts';
import { CliExit, type CliIo } from '../io.ts';
import { configFrom, printer, withServices } from '../shared.ts';

type Options = { type: string; period: string; format: string; out: string; workspace?: string; produce?: boolean };

/**
 * `kefu report render`: a report of stored data to a file, for scripts. The stored report of the
 * period is rendered (produced and stored first when there is none yet, or with --produce).
 */
export function reportRenderCommand(report: Command, io: CliIo): void {
  const print = printer(io);
  report
    .command('render')
    .description('render a report (produced from the stored data when not stored yet) to a file')
    .requiredOption('--type <type>', reportTypes.join('|'))
    .requiredOption('--period <key>', 'YYYY-MM-DD (daily), YYYY-Www (weekly), YYYY-MM (monthly)')
    .requiredOption('--format <format>', formats.join('|'))
    .requiredOption('--out <file>', 'where to write it')
    .option('--workspace <slug>', 'the workspace (default: the only one, or the demo workspace)')
    .option('--produce', 'produce it again from the stored data even when it is stored')
    .action(async (o: Options, cmd: Command) => {
      const problems: string[] = [];
      if (!(reportTypes as readonly string[]).includes(o.type))
        problems.push(`--type: one of ${reportTypes.join(', ')}`);
      if (!(formats as readonly string[]).includes(o.format)) problems.push(`--format: one of ${formats.join(', ')}`);
      if (problems.length) {
        io.err(`kefu report render: ${problems.join('; ')}\n`);
        throw new CliExit(2);
      }
      await withServices(configFrom(cmd, io), async (s) => {
        const ws = await workspaceIdBySlug(s, o.workspace ?? null);
        if (!ws.ok) {
          io.err(`kefu report render: ${ws.problem}\n`);
          throw new CliExit(2);
        }
        const type = o.type as ReportType;
        const stored = o.produce ? null : await findReport(s, ws.id, type, o.period);
        const r = stored ?? (await produceReport(s, ws.id, type, o.period, 'cli'));
        const file = resolve(io.cwd, o.out);
        writeFileSync(file, await render(r.document, o.format as Format, r.sha256));
        print(`${type} ${o.period} → ${file} (SHA-256 of the report ${r.sha256})`);
      });
    });
}
