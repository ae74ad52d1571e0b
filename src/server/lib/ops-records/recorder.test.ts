/** The ops recorder stays bounded and cheap: shapes past the limit share one entry, logs past the buffer are counted. */
import { describe, expect, it } from 'vitest';
import { OpsRecorder, perfBounds, recorderLimits } from './recorder.ts';

describe('OpsRecorder', () => {
  it('keeps at most maxShapes shapes; later ones go to (other)', () => {
    const r = new OpsRecorder();
    for (let k = 0; k < recorderLimits.maxShapes + 50; k++)
      r.record('query', `select * from t${'x'.repeat(k % 7)}_${k}`, 1);
    const m = (r as unknown as { perf: { query: Map<string, { count: number }> } }).perf.query;
    expect(m.size).toBe(recorderLimits.maxShapes + 1);
    expect(m.get('(other)')?.count).toBe(50);
  });

  it('normalises statements into shapes and histograms their durations', () => {
    const r = new OpsRecorder();
    r.onQuery('select * from "m" where "id" in ($1, $2)', 3);
    r.onQuery('select * from "m" where "id" in ($1, $2, $3, $4)', 700);
    const m = (r as unknown as { perf: { query: Map<string, { count: number; max: number; buckets: number[] }> } }).perf
      .query;
    const acc = m.get('select * from "m" where "id" in (?…)')!;
    expect([acc.count, acc.max]).toEqual([2, 700]);
    expect(acc.buckets[perfBounds.indexOf(5)]).toBe(1);
    expect(acc.buckets[perfBounds.indexOf(1000)]).toBe(1);
  });

  it('buffers at most maxBufferedLogs warnings between flushes and ignores info', () => {
    const r = new OpsRecorder();
    const line = (level: number) => JSON.stringify({ level, time: 1, msg: 'x 1' });
    for (let k = 0; k < recorderLimits.maxBufferedLogs + 5; k++) r.logSink.write(line(50));
    r.logSink.write(line(30));
    r.logSink.write('not json');
    expect(r.droppedLogs).toBe(5);
    expect((r as unknown as { logs: unknown[] }).logs).toHaveLength(recorderLimits.maxBufferedLogs);
  });
});
