/**
 * Cron-style schedules (croner). Each tick enqueues a job whose unique key is the schedule's
 * name plus the tick's minute, so several nodes running the scheduler, or a node restarted
 * within the minute, enqueue each tick once (croner reports when it fired, which is a little
 * after the tick and differs between nodes; every schedule here is whole minutes).
 */
import { Cron } from 'croner';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { enqueue } from './queue.ts';

export type Schedule = { name: string; cron: string; jobType: string; payload?: unknown; timezone?: string };

/** The tick a fire at `at` belongs to: its minute. */
export const tickOf = (at: Date): Date => new Date(Math.floor(at.getTime() / 60_000) * 60_000);

/** When `s` is next due after `after` (its cron in its time zone; the same reading `start` uses). */
export function nextTick(s: Schedule, after: Date): Date | null {
  return new Cron(s.cron, { timezone: s.timezone ?? 'UTC', paused: true }).nextRun(after);
}

export class Scheduler {
  private readonly crons: Cron[] = [];
  private readonly deps: { db: Db; clock: Clock; log: Logger };
  constructor(deps: { db: Db; clock: Clock; log: Logger }) {
    this.deps = deps;
  }

  /** Enqueues the tick at `at` (exposed so tests and catch-up can fire a tick directly). */
  async fire(s: Schedule, at: Date): Promise<string | null> {
    const minute = tickOf(at).toISOString();
    return enqueue(this.deps.db, this.deps.clock, {
      type: s.jobType,
      payload: s.payload,
      uniqueKey: `schedule:${s.name}:${minute}`,
      maxAttempts: 3,
    });
  }

  start(schedules: Schedule[]): void {
    for (const s of schedules) {
      const cron = new Cron(s.cron, { timezone: s.timezone ?? 'UTC', protect: true }, async (self: Cron) => {
        const at = self.currentRun() ?? new Date();
        await this.fire(s, at).catch((err: unknown) =>
          this.deps.log.error({ err, schedule: s.name }, 'schedule tick failed'),
        );
      });
      this.crons.push(cron);
    }
  }

  stop(): void {
    for (const c of this.crons) c.stop();
    this.crons.length = 0;
  }
}
