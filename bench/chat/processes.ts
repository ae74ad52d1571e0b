/** The parent's side of its child processes: the load generators (loadgen.ts) and their clean-up at exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadgenMessage, ParentMessage, Tick } from './protocol.ts';

const loadgenFile = fileURLToPath(new URL('./loadgen.ts', import.meta.url));
/** Children (load generators, the relay) exit by themselves after this long, whatever happens. */
export const lifetimeMs = 60 * 60_000;

/** Every child process started, killed when this process exits whatever the reason (a normal end stops them first). */
export const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** One load-generator child process and its IPC requests. */
export class Loadgen {
  readonly proc: ChildProcess;
  onTick: (t: Tick) => void = () => {};
  private waiter: { type: string; resolve: (m: LoadgenMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(cpu: number) {
    this.proc = spawn('taskset', ['-c', String(cpu), process.execPath, loadgenFile], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    children.add(this.proc);
    this.proc.on('message', (m: LoadgenMessage) => {
      if (m.type === 'tick') return this.onTick(m);
      if (m.type === 'fatal') return this.fail(new Error(`load generator failed: ${m.error}`));
      if (this.waiter?.type === m.type) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(m);
      }
    });
    this.proc.on('exit', (code, signal) => this.fail(new Error(`load generator exited (${code ?? signal})`)));
    this.proc.on('error', (err) => this.fail(err));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiter?.reject(err);
    this.waiter = null;
  }

  request<T extends LoadgenMessage['type']>(
    msg: ParentMessage | null,
    reply: T,
    timeoutMs: number,
  ): Promise<Extract<LoadgenMessage, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`load generator: no '${reply}' within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      this.waiter = {
        type: reply,
        resolve: (m) => (clearTimeout(timer), resolve(m as Extract<LoadgenMessage, { type: T }>)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      if (msg) this.proc.send(msg);
    });
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    try {
      if (this.proc.connected) this.proc.send({ type: 'close' } satisfies ParentMessage);
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}
