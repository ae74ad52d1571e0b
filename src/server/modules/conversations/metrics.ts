import { Counter, Histogram, type Registry } from 'prom-client';
import { MessageWriter, type MessageStore } from './writer.ts';

/** A MessageWriter whose batches are measured in `registry`. */
export function createMessageWriter(store: MessageStore | (() => MessageStore), registry: Registry): MessageWriter {
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
  return new MessageWriter(store, {
    observe(size, seconds) {
      committed.inc(size);
      batchSize.observe(size);
      commitSeconds.observe(seconds);
    },
  });
}
