/**
 * The gateway's ack latency as the server sees it: from receiving a client's `send` frame on /ws to
 * writing its `ack` frame (the wait in the connection's frame order, the checks, the commit and the
 * acks of earlier sends included; the network both ways is not). What a client waits for its
 * message to be stored, minus its round trip.
 *
 * Measured per ack on the hot path, so it is counted here without allocating: one subtraction and
 * a bucket increment in a typed array. prom-client's `Histogram.observe` builds label and value
 * objects per call; this object gives the registry the same histogram (`get()` as prom-client's
 * metrics give it), so /metrics and the sampler (which stores `_count`, `_sum` and interval
 * quantiles such as `_p99`) read it like any other histogram.
 */
import type { Metric, MetricValueWithName, Registry } from 'prom-client';

export const ackLatencyName = 'kefu_realtime_ack_latency_seconds';

/** Upper bounds (seconds): 1 ms to 10 s. */
export const ackLatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export class AckLatency {
  readonly name = ackLatencyName;
  readonly help =
    "Time from receiving a client's send frame on /ws to writing its ack frame, on this node (the network not included)";
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** Per bucket (not cumulative), the last one past the largest bound (+Inf). */
  private readonly counts = new Float64Array(ackLatencyBuckets.length + 1);
  private sum = 0;
  private count = 0;

  /** One ack written now, for a send frame received at `receivedAt` (`performance.now()`). */
  observe(receivedAt: number): void {
    const seconds = (performance.now() - receivedAt) / 1000;
    let i = 0;
    while (i < ackLatencyBuckets.length && seconds > ackLatencyBuckets[i]) i++;
    this.counts[i]++;
    this.sum += seconds;
    this.count++;
  }

  /** The histogram as prom-client's registry reads a metric (cumulative buckets, `_sum`, `_count`). */
  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    values: MetricValueWithName<string>[];
    aggregator: string;
  }> {
    const values: MetricValueWithName<string>[] = [];
    let cumulative = 0;
    for (let i = 0; i <= ackLatencyBuckets.length; i++) {
      cumulative += this.counts[i];
      const le = i < ackLatencyBuckets.length ? ackLatencyBuckets[i] : '+Inf';
      values.push({ metricName: `${this.name}_bucket`, labels: { le }, value: cumulative });
    }
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** This registry's ack latency (one per registry: a new gateway on it, in tests, keeps counting). */
  static on(registry: Registry): AckLatency {
    const known = registry.getSingleMetric(ackLatencyName) as unknown;
    if (known instanceof AckLatency) return known;
    const metric = new AckLatency();
    // The registry takes any object that gives its values through get(), as its own metrics do.
    registry.registerMetric(metric as unknown as Metric);
    return metric;
  }
}
