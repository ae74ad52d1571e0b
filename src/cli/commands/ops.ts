import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import {
  applyOpsConfig,
  exportOpsConfig,
  formatApplyResult,
  knownMetricNames,
  parseOpsDocument,
} from '../../server/modules/monitoring/index.ts';
import type { CliIo } from '../io.ts';
import { configFrom, withServices } from '../shared.ts';

/**
 * `kefu ops apply` / `kefu ops export`: monitoring as code (docs/OPERATIONS.md, "Monitoring"). They
 * work on the configured database whether or not a server runs; running servers pick changes up
 * within one evaluation interval.
 */
export function opsCommands(program: Command, io: CliIo): void {
  const ops = program.command('ops').description('monitoring configuration as code: probes, alert rules, silences');
  ops
    .command('apply')
    .description('create or update probes, rules, silences and maintenance windows by name from a YAML or JSON file')
    .requiredOption('-f, --file <file>', 'the ops document (YAML or JSON)')
    .option('--dry-run', 'print the changes without making them')
    .option('--prune', 'delete what the file no longer names')
    .action(async (o: { file: string; dryRun?: boolean; prune?: boolean }, cmd: Command) => {
      const file = resolve(io.cwd, o.file);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        io.err(`${o.file}: ${(err as Error).message}\n`);
        io.exitCode = 2;
        return;
      }
      const { config, problems } = parseOpsDocument(text);
      if (!config) {
        for (const p of problems) io.err(`${o.file}: ${p}\n`);
        io.exitCode = 2;
        return;
      }
      await withServices(configFrom(cmd, io), async (s) => {
        const result = await applyOpsConfig(s, config, {
          dryRun: o.dryRun,
          prune: o.prune,
          knownMetrics: await knownMetricNames(s),
        });
        io.out(formatApplyResult(result, !!o.dryRun));
      });
    });
  ops
    .command('export')
    .description('print the current monitoring configuration (the document `ops apply` takes)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option(
      '--prometheus',
      "only the alert rules, in Prometheus's rule-file format (for promtool / a Prometheus server)",
    )
    .action(async (o: { format: 'yaml' | 'json'; prometheus?: boolean }, cmd: Command) => {
      await withServices(configFrom(cmd, io), async (s) => {
        const doc = await exportOpsConfig(s.db);
        const out = o.prometheus ? { groups: doc.groups } : doc;
        io.out(o.format === 'json' ? JSON.stringify(out, null, 2) + '\n' : stringify(out, { lineWidth: 0 }));
      });
    });
}
