/**
 * Where a command reads its environment and writes its output: the process (bin/kefu.js), or a
 * test's buffers when the command runs in-process (see program.ts).
 */
export type CliIo = {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Writes text to standard output as it is. */
  out(text: string): void;
  /** Writes text to standard error as it is. */
  err(text: string): void;
  /** The exit status a command asks for without stopping (0 unless a command sets it). */
  exitCode: number;
};

/** Ends the command at once with this exit status (its message, if any, already written). */
export class CliExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

export const processIo = (): CliIo => ({
  env: process.env,
  cwd: process.cwd(),
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  exitCode: 0,
});
