import type { Command } from 'commander';
import {
  computeLedger,
  fromCents,
  parseContract,
  parseIncidentRecord,
  type Contract,
  type IncidentRecord,
  type Ledger,
  type LedgerLine,
} from '../../server/modules/incidents/index.ts';
import { formatInZone } from '../../server/lib/time/index.ts';
import type { CliIo } from '../io.ts';
import { readJson, readText } from '../input-files.ts';

type Options = { contract: string; incidents: string; json?: boolean };

/**
 * `kefu penalty compute`: the server's penalty ledger on files, so either party can audit a
 * statement. This file only reads, checks and prints; the rules are in
 * src/server/modules/incidents/penalty/ (README.md) and docs/OPERATIONS.md.
 */
export function penaltyCommands(program: Command, io: CliIo): void {
  program
    .command('penalty')
    .description('the contract penalty ledger')
    .command('compute')
    .description('recompute the penalty ledger of a contract from its incidents, with the code the server uses')
    .requiredOption(
      '--contract <file>',
      'contract (JSON): {total, currency, term: {start, end}, rounding?, capScope?, promotions?, …}',
    )
    .requiredOption(
      '--incidents <file>',
      'one incident per line (JSON): {id, severity, declaredAt, acknowledgedAt?, resolvedAt, mode?}',
    )
    .option(
      '--json',
      'print JSON: {"incidents": [{id, respondBy, resolveBy, hoursOver, deduction, …}], "total", "capApplied"}',
    )
    .action((o: Options) => {
      const problems: string[] = [];
      const contract = readContract(o.contract, io.cwd, problems);
      const incidents = readIncidents(o.incidents, io.cwd, contract?.timezone ?? 'Asia/Shanghai', problems);
      if (problems.length || !contract || !incidents) {
        io.err(`kefu penalty compute: invalid input\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
        io.exitCode = 2;
        return;
      }
      const ledger = computeLedger(contract, incidents, contract.term.end);
      // Lines in the file's order (the ledger lists them in the order deductions accrue).
      const byId = new Map(ledger.lines.map((l) => [l.id, l]));
      const lines = incidents.map((r) => byId.get(r.id)!);
      io.out(
        (o.json ? JSON.stringify(toJson(contract, ledger, lines), null, 2) : statement(contract, ledger, lines)) + '\n',
      );
    });
}

function readContract(file: string, cwd: string, problems: string[]): Contract | null {
  return readJson(file, { cwd, problems }, parseContract);
}

function readIncidents(file: string, cwd: string, zone: string, problems: string[]): IncidentRecord[] | null {
  const text = readText(file, { cwd, problems });
  if (text === null) return null;
  const before = problems.length;
  const records: IncidentRecord[] = [];
  const lineOfId = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file} line ${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      problems.push(`${where}: not valid JSON (${(err as Error).message})`);
      return;
    }
    const r = parseIncidentRecord(raw, zone);
    if (!r.ok) problems.push(...r.problems.map((p) => `${where}: ${p}`));
    // The CLI's own checks run on every line, valid or not, so one run lists every problem.
    const fields = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    if (fields.resolvedAt === undefined && fields.cancelled !== true)
      problems.push(`${where}: resolvedAt: required (the ledger counts resolved incidents)`);
    const id = typeof fields.id === 'string' ? fields.id.trim() : null;
    if (id) {
      const seen = lineOfId.get(id);
      if (seen !== undefined) problems.push(`${where}: id ${JSON.stringify(id)} is already used on line ${seen}`);
      else lineOfId.set(id, i + 1);
    }
    if (r.ok) records.push(r.value);
  });
  return problems.length === before ? records : null;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function toJson(contract: Contract, ledger: Ledger, lines: LedgerLine[]) {
  const fmt = (ms: number | null) => (ms === null ? null : formatInZone(contract.timezone, ms));
  return {
    incidents: lines.map((l) => ({
      id: l.id,
      severity: l.severity,
      mode: l.mode,
      promotion: l.promotion,
      respondBy: fmt(l.respondBy),
      resolveBy: fmt(l.resolveBy),
      respondBreached: l.respondBreached,
      resolveBreached: l.resolveBreached,
      hoursOver: round6(l.hoursOver),
      deduction: fromCents(l.deductionCents),
      capApplied: l.capApplied,
      counted: l.counted,
      ...(l.excluded ? { excluded: l.excluded } : {}),
    })),
    total: fromCents(ledger.deductionCents),
    capApplied: ledger.capApplied,
    currency: ledger.currency,
    cap: fromCents(ledger.capCents),
  };
}

const money = (cents: number) =>
  (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function statement(contract: Contract, ledger: Ledger, lines: LedgerLine[]): string {
  const fmt = (ms: number | null) =>
    ms === null ? '-' : formatInZone(contract.timezone, ms).replace(/:00(?=[+-]|Z)/, '');
  const head = [
    `contract total ${money(ledger.totalCents)} ${contract.currency}; ${contract.ratePercentPerHour} % per hour over (${contract.rounding}), cap ${contract.capPercent} % = ${money(ledger.capCents)} per ${contract.capScope}`,
    `term ${fmt(contract.term.start)} – ${fmt(contract.term.end)} (${contract.timezone})`,
  ];
  const rows = [['incident', 'sev', 'respond by', 'resolve by', 'resolved', 'hours over', 'deduction', 'note']];
  for (const l of lines) {
    const notes = [
      l.promotion ? `promotion ${l.promotion}` : '',
      l.respondBreached ? 'response late' : '',
      l.excluded ? `not counted: ${l.excluded.replace('_', ' ')}` : '',
      l.capApplied ? `cap applied (${money(l.rawCents)} before cap)` : '',
    ].filter(Boolean);
    rows.push([
      l.id,
      l.severity,
      fmt(l.respondBy),
      fmt(l.resolveBy),
      fmt(l.resolvedAt),
      String(round6(l.hoursOver)),
      money(l.deductionCents),
      notes.join('; '),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const body = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  const total = `total deduction ${money(ledger.deductionCents)} ${contract.currency}${ledger.capApplied ? ' (cap applied)' : ''}`;
  return [...head, '', ...body, '', total].join('\n');
}
