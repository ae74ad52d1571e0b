/**
 * Running `kefu` in a test: the environment without any Kefu setting (so only what a test sets
 * counts), the command line in this process on buffers, and a real process's output collected.
 */
import type { ChildProcess } from 'node:child_process';
import { runCli } from '../../cli/program.ts';
import { nodeCacheEnv } from './spawn.ts';

/** The outer environment without KEFU_*, DATABASE_URL or REDIS_URL, logs silent, plus `extra`. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('KEFU_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL') env[k] = v;
  return { ...env, ...nodeCacheEnv(), KEFU_LOG_LEVEL: 'silent', ...extra };
}

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** The same command line in this process (the CLI's own entry point), its output on buffers. */
export async function runKefu(args: string[], o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  const r = { stdout: '', stderr: '' };
  const io = {
    env: o.env,
    cwd: o.cwd,
    out: (text: string) => void (r.stdout += text),
    err: (text: string) => void (r.stderr += text),
    exitCode: 0,
  };
  const { code } = await runCli(args, io);
  return { code, ...r };
}

/** A child process's output and exit, once it has exited. */
export const outputOf = (child: ChildProcess) =>
  new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
