/**
 * The job worker: polls the queue, runs each claimed job's handler, records the outcome.
 * Handlers are registered by type by the modules (their jobs.ts).
 */
import { hostname } from 'node:os';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { claim, complete, fail, type Job } from './queue.ts';

export type JobHandler = (job: Job) => Promise<void>;

export type WorkerOptions = {
  db: Db;
  clock: Clock;
  log: Logger;
  pollMs: number;
  batch?: number;
  leaseMs?: number;
  onFinished?: (job: Job, outcome: 'done' | 'failed') => void;
  /** True while the worker must claim nothing (writes stopped for a restore over this data). */
  paused?: () => Promise<boolean>;
};

export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${newId('wrk')}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly opts: WorkerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(opts: WorkerOptions) {
    this.opts = opts;
  }

  register(type: string, handler: JobHandler): void {
    this.handlers.set(type, handler);
  }

  /** Claims and runs one batch; returns how many jobs ran. */
  async tick(): Promise<number> {
    const { db, clock, log } = this.opts;
    if (await this.opts.paused?.()) return 0;
    const jobs = await claim(db, clock, this.id, this.opts.batch ?? 10, this.opts.leaseMs ?? 60_000);
    for (const job of jobs) {
      const handler = this.handlers.get(job.type);
      try {
        if (!handler) throw new Error(`no handler for job type ${job.type}`);
        await handler(job);
        // False when the lease ran out and another worker took the job over: it reports, not us.
        if (await complete(db, clock, job, this.id)) this.opts.onFinished?.(job, 'done');
      } catch (err) {
        log.warn({ err, jobId: job.id, type: job.type, attempt: job.attempts }, 'job failed');
        await fail(db, clock, job, this.id, err);
        this.opts.onFinished?.(job, 'failed');
      }
    }
    return jobs.length;
  }

  start(): void {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      let ran = 0;
      this.running = this.tick().then(
        (n) => void (ran = n),
        (err: unknown) => this.opts.log.error({ err }, 'job worker tick failed'),
      );
      await this.running;
      // A full batch means there may be more: go again at once.
      if (!this.stopped) this.timer = setTimeout(loop, ran >= (this.opts.batch ?? 10) ? 0 : this.opts.pollMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
