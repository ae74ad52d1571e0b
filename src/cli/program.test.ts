import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { commandNamed, runCli } from './program.ts';

async function run(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    env: {},
    cwd: process.cwd(),
    out: (t) => void (out.stdout += t),
    err: (t) => void (out.stderr += t),
    exitCode: 0,
  };
  const { code } = await runCli(args, io);
  return { code, ...out };
}

const commands = ['start', 'migrate', 'user', 'workspace', 'config', 'doctor', 'sla', 'bot', 'penalty'];
const more = ['report', 'keys', 'backup', 'restore', 'ops', 'probe'];

describe('the command line loads only the named command', () => {
  it('finds the command after the global options, in either form', () => {
    expect(commandNamed(['migrate'])).toBe('migrate');
    expect(commandNamed(['--data-dir', '/tmp/x', 'report', 'render', '--format', 'pdf'])).toBe('report');
    expect(commandNamed(['-c', 'kefu.json', '--log-level=debug', 'restore', 'abc'])).toBe('restore');
    expect(commandNamed(['--database-url', 'postgres://h/db', '--redis-url', 'redis://h', 'start'])).toBe('start');
    // A value that looks like a command is the option's value, not the command.
    expect(commandNamed(['--data-dir', 'start', 'migrate'])).toBe('migrate');
  });

  it('loads every command for help, an unknown command or an unknown option', () => {
    for (const args of [[], ['--help'], ['help', 'start'], ['strat'], ['--verbose', 'start'], ['--', 'start']])
      expect(commandNamed(args)).toBeNull();
  });

  it('lists every command in the help, and suggests the one meant for a typo', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const c of [...commands, ...more]) expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    const typo = await run(['strat']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("unknown command 'strat'");
    expect(typo.stderr).toContain('start');
  });

  it('runs a named command with its own options and help', async () => {
    const help = await run(['--data-dir', '/nonexistent', 'report', 'render', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: kefu report render');
    expect(help.stdout).toContain('--format <format>');
    const bad = await run(['report', 'render', '--type', 'x', '--period', 'y', '--format', 'z', '--out', '/tmp/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format: one of html, pdf, csv, xlsx, json');
  });
});
