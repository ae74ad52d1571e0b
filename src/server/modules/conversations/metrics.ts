import { join } from 'node:path';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { moduleState, type Services } from '../../context.ts';
import { mainCheckpointPages } from '../../db/sqlite-driver.ts';
import { pgStore, sqliteWorkerStore } from './stores.ts';
import { MessageWriter, type MessageStore, type WriterOptions } from './writer.ts';

/** A MessageWriter whose batches, queue and refusals are measured in `registry`. */
export function createMessageWriter(
  store: MessageStore | (() => MessageStore),
  registry: Registry,
  opts: Pick<WriterOptions, 'limits' | 'afterCommit' | 'paceMs'> = {},
): MessageWriter {
  const committed = new Counter({
    name: 'kefu_chat_messages_committed_total',
    help: 'Chat messages committed (including acknowledged duplicates)',
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'kefu_chat_commit_batch_size',
    help: 'Messages per commit',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: 'kefu_chat_commit_duration_seconds',
    help: 'Time to commit one batch of chat messages',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const refusedTotal = new Counter({
    name: 'kefu_chat_refused_busy_total',
    help: 'Chat messages refused with `busy` because the write queue was full (node: messages, bytes; sender: one connection; delay: the expected wait for the commit)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const writer = new MessageWriter(store, {
    ...opts,
    observe(size, seconds) {
      committed.inc(size);
      batchSize.observe(size);
      commitSeconds.observe(seconds);
    },
    refused: (reason) => refusedTotal.inc({ reason }),
  });
  new Gauge({
    name: 'kefu_chat_queued_messages',
    help: 'Chat messages waiting for their commit on this node',
    registers: [registry],
    collect() {
      this.set(writer.queued.messages);
    },
  });
  return writer;
}

const writerKey = 'conversations.writer';

/**
 * This process's message writer (created on first use). Chat messages are committed by it, on its
 * own connection (SQLite: a worker thread), so never from inside a unit of work: on SQLite that
 * would wait for the very write lock the unit of work holds.
 */
export function messageWriter(s: Services): MessageWriter {
  if (s.uow) throw new Error('chat messages are committed by the message writer, not inside a unit of work');
  return moduleState(s, writerKey, () =>
    createMessageWriter(
      () => {
        if (s.engine !== 'sqlite') return pgStore(s.db);
        // The writer's thread checkpoints from now on; the event loop's connection only as a backstop.
        void sql
          .raw(`PRAGMA wal_autocheckpoint = ${mainCheckpointPages}`)
          .execute(s.db)
          .catch((err: unknown) => s.log.warn({ err }, 'could not raise the main checkpoint threshold'));
        return sqliteWorkerStore(join(s.config.dataDir, 'kefu.db'));
      },
      s.metrics,
      {
        paceMs: s.engine === 'sqlite' ? s.config.chatCommitPaceMs : 0,
        limits: {
          maxQueued: s.config.chatQueueMessages,
          maxQueuedBytes: s.config.chatQueueBytes,
          maxQueuedPerKey: s.config.chatQueuePerConnection,
          maxQueueDelayMs: s.config.chatQueueDelayMs,
        },
        afterCommit: s.faults?.afterChatCommit
          ? (results) => s.faults!.afterChatCommit!(results.flatMap((r) => (r.ok ? r.eventIds : [])))
          : undefined,
      },
    ),
  );
}

/** Waits for queued messages and closes the writer (if this process ever opened one). */
export async function closeMessageWriter(s: Services): Promise<void> {
  const w = s.state.get(writerKey) as MessageWriter | undefined;
  s.state.delete(writerKey);
  await w?.close();
}
